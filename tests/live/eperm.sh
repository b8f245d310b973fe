#!/bin/sh
# eperm: the eperm_denied workload, copied under two marker names, becomes the user nobody and
# fails on purpose: one opens a root file of mode 0600 three times (EACCES from openat), the
# other signals PID 1 twice (EPERM from kill). The table at Ctrl-C has both rows with those
# counts; -p keeps only one process.
. "$(dirname "$0")/lib.sh"
need_workload eperm_denied
COMM=$(printf '%.15s' "$MARKER")
KCOMM=$(printf '%.15s' "k$MARKER")
SECRET="$TMPD/secret"
cp "$WORKLOADS/eperm_denied" "$TMPD/$COMM" && cp "$WORKLOADS/eperm_denied" "$TMPD/k$MARKER" &&
	: >"$SECRET" && chmod 600 "$SECRET" && chmod 755 "$TMPD" || fail "setting up the workloads failed"
denied_open() { "$TMPD/$COMM" open "$SECRET" "$1" || fail "the denied opens did not go as planned"; }

start eperm
wait_ready
denied_open 3
"$TMPD/k$MARKER" kill 1 2 || fail "the denied kills did not go as planned"
sleep 0.5
stop
expect_header "Tracing EACCESS and EPERM syscall errors. Ctrl-C to end."
expect_header "$(printf '%-16s %-20s %-7s %8s' COMM SYSCALL ERR COUNT)"
expect "^$(printf '%-16s %-20s %-7s %8s' "$COMM" openat EACCES 3)$"
expect "^$(printf '%-16s %-20s %-7s %8s' "$KCOMM" kill EPERM 2)$"

denied_open 1
start eperm -p $$
wait_ready
denied_open 1
sleep 0.5
stop
expect_not "$COMM"
pass

#!/bin/sh
# eperm: programs named after the marker fail on purpose as an unprivileged user (setpriv):
# cat opens /etc/shadow three times (EACCES from openat), kill signals PID 1 twice (EPERM from
# kill). The table at Ctrl-C has both rows with those counts; -p keeps only one process.
. "$(dirname "$0")/lib.sh"
has_cmd setpriv || skip "no setpriv (util-linux) to run as another user"
[ -e /etc/shadow ] || skip "no /etc/shadow to be refused"
COMM=$(printf '%.15s' "$MARKER")
KILL=$(ls /usr/bin/kill /bin/kill 2>/dev/null | head -n 1); [ -n "$KILL" ] || skip "no kill program"
KCOMM=$(printf '%.15s' "k$MARKER")
cp "$(command -v cat)" "$TMPD/$COMM" && cp "$KILL" "$TMPD/k$MARKER" && chmod 755 "$TMPD" ||
	fail "copying the workloads failed"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

start eperm
wait_ready
for i in 1 2 3; do nobody "$TMPD/$COMM" /etc/shadow >/dev/null 2>&1 && fail "cat /etc/shadow worked"; done
for i in 1 2; do nobody "$TMPD/k$MARKER" -0 1 >/dev/null 2>&1 && fail "kill -0 1 worked"; done
sleep 0.5
stop
expect_header "Tracing EACCESS and EPERM syscall errors. Ctrl-C to end."
expect_header "$(printf '%-16s %-20s %-7s %8s' COMM SYSCALL ERR COUNT)"
expect "^$(printf '%-16s %-20s %-7s %8s' "$COMM" openat EACCES 3)$"
expect "^$(printf '%-16s %-20s %-7s %8s' "$KCOMM" kill EPERM 2)$"

nobody "$TMPD/$COMM" /etc/shadow >/dev/null 2>&1
start eperm -p $$
wait_ready
nobody "$TMPD/$COMM" /etc/shadow >/dev/null 2>&1
sleep 0.5
stop
expect_not "$COMM"
pass

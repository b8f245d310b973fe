#!/bin/sh
# capable: a marker process (the spawn workload under the marker's name) calls setuid(65534)
# before exec, a CAP_SETUID (7) check: one line naming it, its PID and the capability, in BCC's
# columns; -x adds TID and INSETID; -p keeps only that PID; -K prints the kernel stack of the
# check (through the setuid syscall); --json has the contract's keys. With the tracepoint (no
# kprobes) AUDIT is "-": the probe does not see cap_capable's opts.
. "$(dirname "$0")/lib.sh"
need_workload spawn
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/spawn" "$TMPD/$COMM"
run_marker() { "$TMPD/$COMM" -u 65534 /bin/true & MPID=$!; wait "$MPID"; }

start capable
wait_ready
run_marker
sleep 0.5
stop
expect_header "TIME      UID    PID    COMM             CAP  NAME                 AUDIT "
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}  0 +$MPID +$COMM +7 +CAP_SETUID +(1|0|-) *$"

start capable -x -p "$$"
wait_ready
run_marker
sleep 0.5
stop
expect_header "TIME      UID    PID    TID    COMM             CAP  NAME                 AUDIT  INSETID"
expect_not "$COMM"      # -p of this shell: the marker is another process

start capable -x -K
wait_ready
run_marker
sleep 0.5
stop
expect "^[0-9:]{8}  0 +$MPID +$MPID +$COMM +7 +CAP_SETUID +(1|0|-) +(1|0|-)$"
awk -v c="$COMM" 'index($0, " " c " ") && / CAP_SETUID / { on = 1; next } /^[0-9]/ { on = 0 }
	on && /setuid|setres|setreuid/ && /\[kernel\]$/ { found = 1 } END { exit !found }' "$OUT" ||
	fail "-K: no kernel stack through the setuid syscall under the marker's line"

start capable --json -p "$$"
wait_ready
"$TMPD/$COMM" -u 65534 /bin/true   # not this shell's PID... the filter must drop it
sleep 0.5
stop
expect_not "$COMM"
start capable --json
wait_ready
run_marker
sleep 0.5
stop
expect "^\{.*\"pid\":$MPID,\"comm\":\"$COMM\",\"cap\":7,\"name\":\"CAP_SETUID\"(,\"audit\":(1|0))?\}$"
pass

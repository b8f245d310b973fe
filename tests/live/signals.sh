#!/bin/sh
# signals: a sleeping process named after the marker gets SIGCONT three times and then SIGTERM
# from this shell: the counts at Ctrl-C are one row per signal and receiving PID in the columns
# SIGNAL PID COMM COUNT, "SIGCONT PID COMM 3" and "SIGTERM PID COMM 1"; -p of another PID sees
# none of them; --json rows carry sig, sig_name, pid, comm and count.
. "$(dirname "$0")/lib.sh"

W="$TMPD/$MARKER"
COMM=$(printf '%.15s' "$MARKER")
# a static sleeper (the guests' sleep is busybox, which dispatches on its name)
need_workload busyfunc
cp "$WORKLOADS/busyfunc" "$W"

signal_marker() {
	"$W" block 30 & SPID=$!
	sleep 0.1
	kill -CONT "$SPID"; kill -CONT "$SPID"; kill -CONT "$SPID"
	kill -TERM "$SPID"
	wait "$SPID"
	sleep 0.2
}

start signals
wait_ready
signal_marker
stop
expect "^Counting signals\. Hit Ctrl-C to end\.$"
expect_header "SIGNAL     PID     COMM                COUNT"
grep -Fxq -- "$(printf '%-10s %-7d %-16s %8d' SIGCONT "$SPID" "$COMM" 3)" "$OUT" ||
	fail "no row SIGCONT $SPID $COMM 3: $(grep -F "$COMM" "$OUT")"
grep -Fxq -- "$(printf '%-10s %-7d %-16s %8d' SIGTERM "$SPID" "$COMM" 1)" "$OUT" ||
	fail "no row SIGTERM $SPID $COMM 1"

# Senders other than PID 1 (-p 1): none of this shell's signals.
start signals -p 1
wait_ready
signal_marker
stop
expect_not "$COMM"

start signals --json
wait_ready
signal_marker
stop
expect "^\{\"ts\":\"[^\"]+\",\"ts_ns\":[0-9]+,\"rows\":\[.*\{\"sig\":18,\"sig_name\":\"SIGCONT\",\"pid\":$SPID,\"comm\":\"$COMM\",\"count\":3\}"
pass

#!/bin/sh
# killsnoop (the sigsnoop alias, kill-only mode): kill -USR1 from this shell to a sleeping
# marker-named process appears with BCC killsnoop's columns; -x shows only the failed kill.
. "$(dirname "$0")/lib.sh"

need_workload exitsnoop_proc
PROG="$TMPD/$MARKER"
cp "$WORKLOADS/exitsnoop_proc" "$PROG"
"$PROG" 30 0 &
victim=$!

# BCC sizes the PID columns from pid_max.
w=$(( $(cat /proc/sys/kernel/pid_max | wc -c) ))
hdr=$(printf "%-9s %-${w}s %-16s %-4s %-${w}s %s" TIME PID COMM SIG TPID RESULT)

start killsnoop
wait_ready
kill -USR1 "$victim"
wait "$victim" 2>/dev/null
sleep 0.5
stop
expect_header "$hdr"
expect "^[0-9:]{8}  $$ +[^ ]+ +10 +$victim +0$"
expect_not "TCOMM"

# -x: the kill of the (now reaped) victim fails with ESRCH; successful kills are not shown.
"$PROG" 30 0 &
alive=$!
start killsnoop -x
wait_ready
kill -0 "$alive"
kill -0 "$victim" 2>/dev/null
sleep 0.5
stop
kill -KILL "$alive"
expect "^[0-9:]{8}  $$ +[^ ]+ +0 +$victim +-3$"
expect_not " $alive "
pass

#!/bin/sh
# exitsnoop: a marker-named process exiting with code 3 shows "code 3", one killed by SIGKILL
# shows "signal 9 (KILL)"; -x hides exit(0); -p keeps only the given PID; --label adds a column.
. "$(dirname "$0")/lib.sh"

need_workload exitsnoop_proc
PROG="$TMPD/$MARKER"
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/exitsnoop_proc" "$PROG"

start exitsnoop -x -t --label=
wait_ready
"$PROG" 0.2 3
"$PROG" 0.1 0
"$PROG" 30 0 &
victim=$!
sleep 0.3
kill -KILL "$victim"
wait "$victim" 2>/dev/null
sleep 0.5
stop
expect_header "LABEL PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE"
expect "^TIME-"
expect "^[0-9:.]{12} exit  $COMM +[0-9]+ +$$ +[0-9]+ +0\.[0-9]{2} +code 3$"
expect "^[0-9:.]{12} exit  $COMM +$victim +$$ +$victim +0\.[0-9]{2} +signal 9 \(KILL\)$"
expect_not "$COMM .* 0$"

# -p: only that process; its normal exit(0) is shown without -x. The target waits on a FIFO
# until the applet is ready, then execs the marker program (same PID).
mkfifo "$TMPD/go"
sh -c 'read x <"$1"; exec "$2" 0 0' sh "$TMPD/go" "$PROG" &
target=$!
start exitsnoop -p "$target"
wait_ready
"$PROG" 0.1 5
echo go >"$TMPD/go"
wait "$target"
sleep 0.5
stop
expect_header "PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE"
expect "^$COMM +$target +$$ +$target +[0-9.]+ +0$"
expect_not "code 5"
pass

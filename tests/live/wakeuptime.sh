#!/bin/sh
# wakeuptime: two marker threads wake each other through pipes (pingpong): the ping thread's
# blocked time is summed under the kernel stack of the pong thread's pipe write (addresses and
# names, outermost first, as BCC prints them), target and waker by their names; -f gives
# waker;innermost...outermost;target; -p keeps other processes out; -p with -u exits 2.
. "$(dirname "$0")/lib.sh"
pingpong_start

start wakeuptime -p "$W"
wait_ready
sleep 1.5
stop
expect_header "Tracing blocked time (us) by kernel stack... Hit Ctrl-C to end."
awk -v RS= -v ping="$PING" -v pong="$PONG" '
	$0 ~ "^    target: +" ping "\n" && $0 ~ "\n    waker: +" pong "\n        [0-9]+$" &&
	$0 ~ "\n    [0-9a-f]+ +(anon_)?pipe_write\n" { found = 1 }
	END { exit !found }' "$OUT" || fail "no stack of $PONG's pipe_write waking $PING"
expect "^    [0-9a-f]{16} (entry_SYSCALL_64|el0t_64_sync)"   # the syscall entry: x86-64, arm64
expect "^Detaching...$"
grep "target:" "$OUT" | grep -Evq "target: +($PING|$PONG)$" && fail "-p $W printed other targets"

start wakeuptime -f -p "$W" 2
wait_exit 10
expect "^$PONG;(.*;)?(anon_)?pipe_write;(.*;)?$PING [0-9]+$"
expect "^$PING;(.*;)?(anon_)?pipe_write;(.*;)?$PONG [0-9]+$"
grep -q "Tracing\|Detaching" "$OUT" && fail "-f printed the banner"

"$BCCT" wakeuptime -p 1 -u >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-p -u not rejected"
expect_err "use either -p or -u."
pass

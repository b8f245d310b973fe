#!/bin/sh
# offwaketime: two marker threads wake each other through pipes (pingpong). The stack where the
# ping thread blocked (bcct_ping, under the kernel frames of its pipe read) is printed below the
# stack of the pong thread that woke it (bcct_pong, over its pipe write), each thread by its own
# name and tid; -f gives one folded line target;...;--;...;waker; -K drops the user frames; -p
# keeps other processes out; bad option combinations exit 2.
. "$(dirname "$0")/lib.sh"
pingpong_start

# The block naming both threads: waker pong, its user frames (outermost first) down to the
# wakeup, "--", the ping thread's kernel frames from schedule out to bcct_ping, then target.
ping_pong_block() {
	awk -v RS= -v ping="$PING" -v pong="$PONG" -v w="$W" '
		$0 ~ "waker: +" pong " [0-9]+\n" && $0 ~ "target: +" ping " " w "\n" {
			p = index($0, "bcct_pong"); d = index($0, "--               --")
			s = index($0, "    schedule\n"); q = index($0, "bcct_ping")
			if (p && d > p && s > d && q > s) found = 1
		}
		END { exit !found }' "$OUT"
}

start offwaketime -p "$W"
wait_ready
sleep 1.5
stop
expect_header "Tracing blocked time (us) by user + kernel off-CPU and waker stack... Hit Ctrl-C to end."
ping_pong_block || fail "no stack with waker $PONG (bcct_pong) over target $PING (bcct_ping)"
expect "^    (anon_)?pipe_write$"
expect "^    (anon_)?pipe_read$"
expect "^        [0-9]+$"
grep "target:" "$OUT" | grep -Evq "target: +($PING $W|$PONG [0-9]+)$" && fail "-p $W printed other targets"

start offwaketime -f -p "$W" 2
wait_exit 10
expect "^$PING;(.*;)?bcct_ping;(.*;)?(anon_)?pipe_read;(.*;)?--;(.*;)?(anon_)?pipe_write;(.*;)?bcct_pong(;.*)?;$PONG [0-9]+$"
grep -q "Tracing" "$OUT" && fail "-f printed the banner"

start offwaketime -K -p "$W" 2
wait_exit 10
expect_header "Tracing blocked time (us) by kernel off-CPU and waker stack for 2 secs."
expect "^    (anon_)?pipe_read$"
expect_not "bcct_p(i|o)ng"

"$BCCT" offwaketime -p 1 -u >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-p -u not rejected"
"$BCCT" offwaketime -U -K >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-U -K not rejected"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "usage error is not one line"
pass

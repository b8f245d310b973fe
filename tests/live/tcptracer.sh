#!/bin/sh
# tcptracer: a loopback session of a workload named after the marker (connect, accept, the
# client closes first, then the server) gives, in BCC's columns, the connect (C) and the accept
# (A) with their ends swapped, and a close (X) of each end, all under the workload's PID; -v -t
# names the types, prints ns and the network namespace; -N of ours drops the NETNS column and
# keeps the events, -N of another namespace keeps none; -6 shows the IPv6 session bracketed and
# not the IPv4 one; -p of another process shows nothing of the workload.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup

A='127\.0\.0\.1'

# BCC's -v is bcct's too (attach methods on stderr), so the plain columns are run without it:
# ready once the header is out.
start_plain() {
	: >"$OUT"; : >"$ERR"
	"$BCCT" tcptracer "$@" >"$OUT" 2>"$ERR" &
	APID=$!
	n=200
	while [ "$n" -gt 0 ] && ! grep -q '^T  PID' "$OUT"; do
		kill -0 "$APID" 2>/dev/null || fail "tcptracer exited before its header"
		sleep 0.1; n=$((n - 1))
	done
	sleep 0.2
}

start_plain
conn "$TMPD/$MARKER" 10
wait_out "^X .* $PORT +[0-9]+ *$"
stop
expect_header "Tracing TCP established connections. Ctrl-C to end."
expect_header "T  PID    COMM             IP SADDR            DADDR            SPORT  DPORT "
expect "^C  $W +$M15 +4  $A +$A +[0-9]+ +$PORT +$"
expect "^A  $W +$M15 +4  $A +$A +$PORT +[0-9]+ +$"
expect "^X  $W +$M15 +4  $A +$A +[0-9]+ +$PORT +$"
expect "^X  $W +$M15 +4  $A +$A +$PORT +[0-9]+ +$"
[ "$(grep -c " $W " "$OUT")" -eq 4 ] || fail "not exactly 4 events of the workload"

NS=$(stat -L -c %i /proc/self/ns/net)
start tcptracer -t
wait_ready
conn "$TMPD/$MARKER" 10
wait_out "^[0-9]+ +close .* $PORT +[0-9]+ +$NS"
stop
expect_header "TIME(ns)      TYPE         PID    COMM             IP SADDR            DADDR            SPORT  DPORT  NETNS   "
expect "^[0-9]+ +connect +$W +$M15 +4  $A +$A +[0-9]+ +$PORT +$NS *$"
expect "^[0-9]+ +accept +$W +$M15 +4  $A +$A +$PORT +[0-9]+ +$NS *$"

start tcptracer -N "$NS"
wait_ready
conn "$TMPD/$MARKER" 10
wait_out "^close .* $PORT +[0-9]+ *$"
stop
expect_header "TYPE         PID    COMM             IP SADDR            DADDR            SPORT  DPORT  "
expect "^connect +$W +$M15 +4  $A +$A +[0-9]+ +$PORT +$"

start tcptracer -N 1 -p "$$"
wait_ready
conn "$TMPD/$MARKER" 10
sleep 0.5
stop
expect_not "$M15"

if net_ipv6; then
	start_plain -6
	conn "$TMPD/$MARKER" 10
	conn "$TMPD/$MARKER" 10 6
	wait_out "^X .* $PORT +[0-9]+ *$"
	stop
	expect "^C  $W +$M15 +6  \\[::1\\] +\\[::1\\] +[0-9]+ +$PORT +$"
	expect "^A  $W +$M15 +6  \\[::1\\] +\\[::1\\] +$PORT +[0-9]+ +$"
	expect_not "127\\.0\\.0\\.1"
fi
pass "connect, accept, close of both ends${NS:+, -v -t, -N, -p}, IPv6 with -6"

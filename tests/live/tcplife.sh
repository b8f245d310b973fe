#!/bin/sh
# tcplife: one loopback TCP session (client sends 200 KiB, closes first) made by a workload named
# after the marker shows both ends, each attributed to the workload with TX/RX KB; -D keeps the
# client end only, --comm drops another process, -s prints CSV; --ipv6 -w if IPv6 is up.
. "$(dirname "$0")/lib.sh"
need_workload tcpconn
M10=$(printf %.10s "$MARKER")
M15=$(printf %.15s "$MARKER")
cp "$WORKLOADS/tcpconn" "$TMPD/$MARKER"

# A free port, derived from our pid.
PORT=
for i in 0 1 2 3 4 5 6 7; do
	p=$((20000 + ($$ + i * 997) % 30000))
	"$WORKLOADS/tcpconn" "$p" 1 >/dev/null 2>&1 && { PORT=$p; break; }
done
[ -n "$PORT" ] || fail "no free loopback port for the workload"

# conn NAME KBYTES [6]: one session on $PORT; W is its pid.
conn() {
	"$1" "$PORT" "$2" ${3:-} >/dev/null 2>&1 &
	W=$!
	wait "$W" || fail "workload $1 failed on port $PORT"
}

# Events arrive asynchronously: wait until a line matches.
wait_out() {
	n=50
	while [ "$n" -gt 0 ] && ! grep -Eq -- "$1" "$OUT"; do sleep 0.1; n=$((n - 1)); done
}

start tcplife
wait_ready
conn "$TMPD/$MARKER" 200
wait_out " $PORT .* 200 "
stop
expect_header "PID   COMM       LADDR           LPORT RADDR           RPORT TX_KB RX_KB MS"
expect "^$W +$M10 127\.0\.0\.1 +[0-9]+ +127\.0\.0\.1 +$PORT +200 +0 [0-9]+\.[0-9]{2}$"
expect "^$W +$M10 127\.0\.0\.1 +$PORT +127\.0\.0\.1 +[0-9]+ +0 +200 [0-9]+\.[0-9]{2}$"

start tcplife -s -D "$PORT" --comm "$M15"
wait_ready
conn "$WORKLOADS/tcpconn" 50
conn "$TMPD/$MARKER" 100
wait_out ",$PORT,100,"
stop
expect_header "PID,COMM,IP,LADDR,LPORT,RADDR,RPORT,TX_KB,RX_KB,MS"
expect "^$W,$M15,4,127\.0\.0\.1,[0-9]+,127\.0\.0\.1,$PORT,100,0,[0-9]+\.[0-9]{2}$"
expect_not ",$PORT,[0-9]+,0,100,"
expect_not "tcpconn"

if "$WORKLOADS/tcpconn" "$PORT" 1 6 >/dev/null 2>&1; then
	start tcplife --ipv6 -w -L "$PORT"
	wait_ready
	conn "$TMPD/$MARKER" 20
	conn "$TMPD/$MARKER" 30 6
	wait_out " 30 "
	stop
	expect_header "PID   COMM             IP LADDR                      LPORT RADDR                      RPORT  TX_KB  RX_KB MS"
	expect "^$W +$M15 +6  ::1 +$PORT +::1 +[0-9]+ +0 +30 [0-9]+\.[0-9]{2}$"
	expect_not "127\.0\.0\.1"
fi
pass

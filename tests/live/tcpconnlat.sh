#!/bin/sh
# tcpconnlat: loopback connects by a workload named after the marker. -t -L: its connect in the
# connecting process (pid, comm) with the local port and a latency; a minimum of 0.01 ms keeps it
# (a loopback handshake takes longer), 1000 ms drops it; -4 drops the IPv6 connect.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup
M12=$(printf %.12s "$MARKER")

start tcpconnlat -t -L 0.01
wait_ready
conn "$TMPD/$MARKER" 1
wait_out " $PORT +[0-9]+\.[0-9]{2}$"
stop
expect_header "TIME(s)  PID     COMM         IP SADDR            LPORT  DADDR            DPORT LAT(ms)"
expect "^[0-9]+\.[0-9]{3} +$W +$M12 4  127\.0\.0\.1 +[0-9]+ +127\.0\.0\.1 +$PORT [0-9]+\.[0-9]{2}$"

start tcpconnlat 1000
wait_ready
conn "$TMPD/$MARKER" 1
sleep 0.3
stop
expect_header "PID     COMM         IP SADDR            DADDR            DPORT LAT(ms)"
expect_not "$M12"

if net_ipv6; then
	start tcpconnlat -4
	wait_ready
	conn "$TMPD/$MARKER" 1 6
	conn "$TMPD/$MARKER" 1
	wait_out "127\.0\.0\.1 +$PORT "
	stop
	expect "^$W +$M12 4  127\.0\.0\.1 +127\.0\.0\.1 +$PORT [0-9]+\.[0-9]{2}$"
	expect_not "::1"
fi

"$BCCT" tcpconnlat -1 >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "a negative minimum: exit $rc, want 2 and one line"
pass

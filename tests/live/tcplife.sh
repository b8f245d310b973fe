#!/bin/sh
# tcplife: one loopback TCP session (client sends 200 KiB, closes first) made by a workload named
# after the marker shows both ends, each attributed to the workload with TX/RX KB; -D keeps the
# client end only, --comm drops another process, -s prints CSV; --ipv6 -w if IPv6 is up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup

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

if net_ipv6; then
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

#!/bin/sh
# tcpaccept: loopback sessions by a workload named after the marker, which accepts its own
# connection. -T -t -P PORT: its accept with the client's address and port and the local port,
# in the accepting process (pid and comm); an accept on another port is not shown. --comm drops
# another process; -6: the IPv6 accept only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup
M12=$(printf %.12s "$MARKER")
OTHER=$((PORT + 1))
"$WORKLOADS/tcpconn" "$OTHER" 1 >/dev/null 2>&1 || OTHER=$((PORT + 2))

start tcpaccept -T -t -P "$PORT"
wait_ready
conn "$TMPD/$MARKER" 1
"$WORKLOADS/tcpconn" "$OTHER" 1 >/dev/null 2>&1
wait_out " $PORT$"
stop
expect_header "TIME     TIME(s)  PID     COMM         IP RADDR            RPORT LADDR            LPORT"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} 0\.000    $W +$M12 4  127\.0\.0\.1 +[0-9]+ +127\.0\.0\.1 +$PORT$"
expect_not " $OTHER$"

start tcpaccept --comm "$M15"
wait_ready
"$WORKLOADS/tcpconn" "$PORT" 1 >/dev/null 2>&1
conn "$TMPD/$MARKER" 1
wait_out " $PORT$"
stop
expect "^$W +$M12 4  127\.0\.0\.1 +[0-9]+ +127\.0\.0\.1 +$PORT$"
expect_not "tcpconn "

if net_ipv6; then
	start tcpaccept -6
	wait_ready
	conn "$TMPD/$MARKER" 1
	conn "$TMPD/$MARKER" 1 6
	wait_out "::1 .* $PORT$"
	stop
	expect "^$W +$M12 6  ::1 +[0-9]+ +::1 +$PORT$"
	expect_not "127\.0\.0\.1"
fi
pass

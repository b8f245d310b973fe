#!/bin/sh
# tcpconnect: loopback connects by a workload named after the marker. -t -U -L -P PORT: its
# connect with TIME(s), UID, the local port, only to PORT (a connect to another port is not
# shown); -c: three connects counted as one flow; -6: the IPv6 connect only; -u of another user
# shows nothing of ours; -d is refused in one line (exit 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup
M12=$(printf %.12s "$MARKER")
OTHER=$((PORT + 1))
"$WORKLOADS/tcpconn" "$OTHER" 1 >/dev/null 2>&1 || OTHER=$((PORT + 2))

start tcpconnect -t -U -L -P "$PORT"
wait_ready
conn "$TMPD/$MARKER" 1
"$WORKLOADS/tcpconn" "$OTHER" 1 >/dev/null 2>&1
wait_out " $PORT  $"
stop
expect_header "Tracing connect ... Hit Ctrl-C to end"
expect_header "TIME(s)  UID   PID     COMM         IP SADDR            LPORT  DADDR            DPORT "
expect "^0\.000    0     $W +$M12 4  127\.0\.0\.1 +[0-9]+ +127\.0\.0\.1 +$PORT  $"
expect_not " $OTHER "

start tcpconnect -c -P "$PORT"
wait_ready
conn "$TMPD/$MARKER" 1
conn "$TMPD/$MARKER" 1
conn "$TMPD/$MARKER" 1
sleep 0.3
stop
expect_header "LADDR                     RADDR                     RPORT                CONNECTS  "
expect "^127\.0\.0\.1 +127\.0\.0\.1 +$PORT +3 +$"

if net_ipv6; then
	start tcpconnect -6
	wait_ready
	conn "$TMPD/$MARKER" 1
	conn "$TMPD/$MARKER" 1 6
	wait_out "::1 .* $PORT  $"
	stop
	expect "^$W +$M12 6  ::1 +::1 +$PORT  $"
	expect_not "127\.0\.0\.1"
fi

start tcpconnect -u 65534 -P "$PORT"
wait_ready
conn "$TMPD/$MARKER" 1
sleep 0.3
stop
expect_not "$M12"

"$BCCT" tcpconnect -d >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-d: exit $rc, want 1 and one line"
expect_err "^tcpconnect: -d/--dns is not supported"
pass

#!/bin/sh
# soconnect: a marker-named workload connects over TCP to a loopback port that listens (IPv4 and
# IPv6: Success), to one that does not (Connect refused), and connects a UDP socket: each is a
# line with the book's columns, its family, address, port and result; the latency is a number.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start soconnect
wait_ready
sock tcp
sock refused
sock udp
V6=; if sock_ipv6; then V6=1; sock tcp 6; fi
sleep 0.5
stop
expect_header "$(printf '%-6s %-16s FAM %-16s %-5s %8s %s' PID PROCESS ADDRESS PORT 'LAT(us)' RESULT)"
expect "^[0-9]+ +$SNAME +2   127\\.0\\.0\\.1 +$PORT +[0-9]+ Success$"
expect "^[0-9]+ +$SNAME +2   127\\.0\\.0\\.1 +$((PORT + 1)) +[0-9]+ Connect refused$"
[ "$(grep -c "^[0-9]* *$SNAME .* $PORT .* Success$" "$OUT")" -ge 2 ] ||
	fail "expected the TCP and the UDP connect to port $PORT"
[ -z "$V6" ] || expect "^[0-9]+ +$SNAME +10  ::1 +$PORT +[0-9]+ Success$"

start soconnect -p "$$"
wait_ready
sock tcp
sleep 0.3
stop
expect_not "$SNAME"
pass "IPv4${V6:+, IPv6}, refused, UDP; -p"

#!/bin/sh
# udpconnect: a marker-named workload connects a UDP socket to a loopback port (IPv4 and IPv6):
# one line each with the IP version, address and port; its TCP connect is not shown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start udpconnect
wait_ready
sock udp
sock tcp
V6=; if sock_ipv6; then V6=1; sock udp 6; fi
sleep 0.5
stop
expect_header "$(printf '%-8s %-6s %-16s %-2s %-16s %-5s' TIME PID COMM IP RADDR RPORT)"
expect "^[0-9:]{8} [0-9]+ +$SNAME +4  127\\.0\\.0\\.1 +$PORT *$"
[ -z "$V6" ] || expect "^[0-9:]{8} [0-9]+ +$SNAME +6  ::1 +$PORT *$"
[ "$(grep -c " $SNAME " "$OUT")" -eq "$([ -n "$V6" ] && echo 2 || echo 1)" ] ||
	fail "expected only the UDP connects"
pass "IPv4${V6:+, IPv6}"

#!/bin/sh
# sofamily: a marker-named workload makes 3 IPv4 TCP sessions (3 connects, 3 accepts) and 2
# IPv4 UDP connects: rows connect/AF_INET 5 and accept/AF_INET 3 for it, with IPv6 sessions a
# connect and an accept row for AF_INET6.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start sofamily
wait_ready
sock tcp; sock tcp; sock tcp
sock udp; sock udp
V6=; if sock_ipv6; then V6=1; sock tcp 6; fi
sleep 0.3
stop
expect "Tracing socket connect/accepts. Ctrl-C to end."
expect_header "$(printf '%-7s %-16s %3s %-9s %8s' CALL COMM FAM FAMILY COUNT)"
expect "^connect $SNAME +2 AF_INET +5$"
expect "^accept  $SNAME +2 AF_INET +3$"
if [ -n "$V6" ]; then
	expect "^connect $SNAME +10 AF_INET6 +1$"
	expect "^accept  $SNAME +10 AF_INET6 +1$"
fi
pass "IPv4${V6:+, IPv6}"

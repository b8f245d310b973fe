#!/bin/sh
# soprotocol: a marker-named workload makes 2 TCP sessions (2 connects, 2 accepts on the
# listening socket) and one UDP connect: rows TCP 4 and UDP 1 with the protocol numbers and
# names, and with IPv6 a TCPv6 row.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start soprotocol
wait_ready
sock tcp; sock tcp
sock udp
V6=; if sock_ipv6; then V6=1; sock tcp 6; fi
sleep 0.3
stop
expect_header "$(printf '%-16s %5s %-12s %-8s %8s' COMM PROTO PROTOCOL NAME COUNT)"
expect "^$SNAME +6 IPPROTO_TCP +TCP +4$"
expect "^$SNAME +17 IPPROTO_UDP +UDP +1$"
[ -z "$V6" ] || expect "^$SNAME +6 IPPROTO_TCP +TCPv6 +2$"
pass "TCP, UDP${V6:+, TCPv6}"

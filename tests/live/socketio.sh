#!/bin/sh
# socketio: a marker-named workload writes 1000 bytes over a loopback TCP session, reads them
# and answers one byte, twice: rows read TCP and write TCP of its pid, each 4 calls and 2002
# bytes; with IPv6 a TCPv6 row.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start socketio --comm "$SNAME"
wait_ready
sock tcp 4 1000; P1=$P
sock tcp 4 1000; P2=$P
V6=; if sock_ipv6; then V6=1; sock tcp 6 1000; P6=$P; fi
sleep 0.3
stop
expect_header "$(printf '%-16s %-7s %-5s %-8s %8s %12s' COMM PID DIR PROTO COUNT BYTES)"
for p in $P1 $P2; do
	expect "^$SNAME +$p +read +TCP +2 +1001$"
	expect "^$SNAME +$p +write +TCP +2 +1001$"
done
[ -z "$V6" ] || expect "^$SNAME +$P6 +write +TCPv6 +2 +1001$"
pass "TCP${V6:+, TCPv6}"

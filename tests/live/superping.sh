#!/bin/sh
# superping: the workload pings loopback 3 times on a raw socket with its own identifier (our
# port) over IPv4 and IPv6: "IPv4 ping, ID N seq 1..3: T us" lines, each once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start superping
wait_ready
sock ping
V6=; if [ -e /proc/net/if_inet6 ]; then V6=1; sock ping 6; fi
sleep 0.5
stop
expect "^Tracing ICMP ping latency. Hit Ctrl-C to end.$"
for v in 4 ${V6:+6}; do
	for s in 1 2 3; do
		[ "$(grep -Ec "^IPv$v ping, ID $PORT seq $s: [0-9]+ us$" "$OUT")" -eq 1 ] ||
			fail "expected one IPv$v reply for seq $s"
	done
done
pass "IPv4${V6:+, IPv6}"

#!/bin/sh
# ipecn: the workload sends 3 UDP datagrams to loopback marked ECN CE (IPv4 TOS 3, IPv6 traffic
# class 3): each arrives as an "ECN CE from:" line with the loopback source; unmarked traffic
# (a TCP session) adds none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start ipecn
wait_ready
sock tcp
sleep 0.3
n0=$(grep -c 'ECN CE from: ' "$OUT")
sock ecn
V6=; if [ -e /proc/net/if_inet6 ]; then V6=1; sock ecn 6; fi
sleep 0.5
stop
expect "^Tracing inbound IP ECN Congestion Encountered. Hit Ctrl-C to end.$"
[ "$(grep -Ec '^[0-9:]{8} ECN CE from: 127\.0\.0\.1$' "$OUT")" -ge 3 ] || fail "expected 3 IPv4 CE packets"
[ -z "$V6" ] || [ "$(grep -Ec '^[0-9:]{8} ECN CE from: ::1$' "$OUT")" -ge 3 ] || fail "expected 3 IPv6 CE packets"
[ "$n0" -eq 0 ] || fail "unmarked packets shown"
pass "IPv4${V6:+, IPv6}"

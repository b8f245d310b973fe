#!/bin/sh
# tcpreset: a marker-named workload connects to a loopback port where nothing listens (IPv4 and
# IPv6): the kernel's reset shows with the closed port as LPORT and the client's port as RPORT.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start tcpreset
wait_ready
sock refused
V6=; if sock_ipv6; then V6=1; sock refused 6; fi
sleep 0.5
stop
expect "^Tracing TCP resets. Hit Ctrl-C to end.$"
expect_header "$(printf '%-8s %-14s %-6s %-14s %-6s' TIME LADDR LPORT RADDR RPORT)"
expect "^[0-9:]{8} 127\\.0\\.0\\.1 +$((PORT + 1)) +127\\.0\\.0\\.1 +[0-9]+ *$"
[ -z "$V6" ] || expect "^[0-9:]{8} ::1 +$((PORT + 1)) +::1 +[0-9]+ *$"
pass "IPv4${V6:+, IPv6}"

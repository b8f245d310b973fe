#!/bin/sh
# soaccept: a marker-named workload accepts a loopback connection (IPv4 and IPv6): one line with
# the peer's family, address and port and "Success"; the peer's port is the client's ephemeral
# port, not the listening one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start soaccept
wait_ready
sock tcp
V6=; if sock_ipv6; then V6=1; sock tcp 6; fi
sleep 0.5
stop
expect_header "$(printf '%-6s %-16s FAM %-16s %-5s %s' PID PROCESS ADDRESS PORT RESULT)"
expect "^[0-9]+ +$SNAME +2   127\\.0\\.0\\.1 +[0-9]+ +Success$"
expect_not "^[0-9]+ +$SNAME .* $PORT +Success$"
[ -z "$V6" ] || expect "^[0-9]+ +$SNAME +10  ::1 +[0-9]+ +Success$"
pass "IPv4${V6:+, IPv6}"

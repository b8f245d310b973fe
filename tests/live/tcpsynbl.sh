#!/bin/sh
# tcpsynbl: the tcpconn workload listens with a backlog of 8 and makes 5 connections it never
# accepts (on IPv4), then 3 (on IPv6): each completed handshake sees 0, 1, ... waiting, so the
# backlog_max = 8 histogram holds exactly 0-1: 4, 2-3: 3, 4-7: 1 (0-1: 2, 2-3: 2, 4-7: 1 without
# IPv6); -4 keeps the IPv4 listener's only; -6 the IPv6 one's; JSON has the counts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup
fill() { "$WORKLOADS/tcpconn" backlog "$PORT" "$@" || fail "tcpconn backlog $PORT $* failed"; }
V6=; net_ipv6 && V6=1

start tcpsynbl
wait_ready
fill 5
[ -n "$V6" ] && fill 3 6
sleep 0.3
stop
expect_header "Tracing SYN backlog size. Ctrl-C to end."
expect "^backlog_max = 8$"
expect_header "     backlog             : count     distribution"
if [ -n "$V6" ]; then
	expect "^         0 -> 1          : 4 +\\|\\*{40}\\|$"
	expect "^         2 -> 3          : 3 +\\|\\*{30} {10}\\|$"
else
	expect "^         0 -> 1          : 2 +\\|\\*{40}\\|$"
	expect "^         2 -> 3          : 2 +\\|\\*{40}\\|$"
fi
expect "^         4 -> 7          : 1 +\\|"

start tcpsynbl -4 --json
wait_ready
fill 3
[ -n "$V6" ] && fill 5 6
sleep 0.3
stop
expect '"hists":\[\{"backlog_max":8,"unit":"backlog","buckets":\[\{"low":0,"high":1,"count":2\},\{"low":2,"high":3,"count":1\}\]\}\]'

if [ -n "$V6" ]; then
	start tcpsynbl -6
	wait_ready
	fill 5
	fill 2 6
	sleep 0.3
	stop
	expect "^         0 -> 1          : 2 +\\|"
	expect_not "2 -> 3"
fi
pass "IPv4${V6:+ and IPv6} listeners' backlogs counted exactly, -4, -6, JSON"

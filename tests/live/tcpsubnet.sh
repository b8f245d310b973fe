#!/bin/sh
# tcpsubnet: a workload named after the marker sends 100 KiB to 127.0.0.1 (--comm keeps only its
# sends): the first subnet of the list that holds 127.0.0.1 gets exactly 102400 bytes, the later
# catch-all nothing; an IPv6 session counts nowhere; -f K prints 100; -J BCC's JSON line; a bad
# subnet is a usage error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup

start tcpsubnet -i 30 --comm "$M15" 10.0.0.0/8,127.0.0.0/8,0.0.0.0/0
wait_ready
conn "$TMPD/$MARKER" 100
net_ipv6 && conn "$TMPD/$MARKER" 30 6
sleep 0.3
stop
expect_header "Tracing... Output every 30 secs. Hit Ctrl-C to end"
expect "^\\[[0-9]{2}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\]$"
expect "^127\\.0\\.0\\.0/8           102400$"
expect_not "^(0\\.0\\.0\\.0/0|10\\.0\\.0\\.0/8) "

start tcpsubnet -i 30 -f K --comm "$M15"
wait_ready
conn "$TMPD/$MARKER" 100
sleep 0.3
stop
expect "^127\\.0\\.0\\.1/32             100$"

start tcpsubnet -i 30 -J -f k --comm "$M15" 127.0.0.1/32
wait_ready
conn "$TMPD/$MARKER" 100
sleep 0.3
stop
expect_not "Tracing"
expect "^\\{\"date\": \"[0-9/]+\", \"time\": \"[0-9:]+\", \"entries\": \\{\"127\\.0\\.0\\.1/32\": 800\\.0\\}\\}$"

for bad in 127.0.0.1 127.0.0.1/33 nonsense/8; do
	"$BCCT" tcpsubnet "$bad" >/dev/null 2>"$ERR"; rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "subnet $bad: exit $rc, not 2 with one line"
done
pass "exact bytes in the first matching subnet, -f K, -J -f k, bad subnets"

#!/bin/sh
# tcprtt: loopback sessions of the tcpconn workload (the client sends, the server's ACKs come
# back) give srtt samples in BCC's histogram, a loopback RTT under 10 ms: -p of the session's
# port keeps only the server's end (-b: one "Local Address = 127.0.0.1" section, with its
# "[AVG n]" under -e); -B -6 -P splits IPv6 samples by remote address; -m -T prints msecs and a
# time line; -p of a port nobody uses gives no histogram; -a of a bad address is a usage error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup

start tcprtt -p "$PORT" -b -e
wait_ready
conn "$WORKLOADS/tcpconn" 200
sleep 0.3
stop
expect_header "Tracing TCP RTT... Hit Ctrl-C to end."
expect "^Local Address = 127\\.0\\.0\\.1 \\[AVG [0-9]+\\]$"
expect_header "     usecs               : count     distribution"
[ "$(grep -c '^Local Address' "$OUT")" -eq 1 ] || fail "-p: more than the session's section"
# Every sample under 8192 us: no count in a higher slot.
awk -F: '/->/ { split($1, r, "->"); if (r[1] + 0 >= 8192 && $2 + 0 > 0) bad = 1 }
	 /->/ && $2 + 0 > 0 { n++ } END { exit bad || !n }' "$OUT" ||
	fail "no samples, or a loopback srtt of 8 ms or more"

start tcprtt -m -T -d 60 -a 127.0.0.1 -A 127.0.0.1 -P "$PORT"
wait_ready
conn "$WORKLOADS/tcpconn" 200
sleep 0.3
stop
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"
expect "^All Addresses = \\*\\*\\*\\*\\*\\*\\*$"
expect "^         0 -> 1          : [1-9][0-9]* +\\|\\*+ *\\|$"

if net_ipv6; then
	start tcprtt -B -6 -P "$PORT"
	wait_ready
	conn "$WORKLOADS/tcpconn" 100
	conn "$WORKLOADS/tcpconn" 100 6
	sleep 0.3
	stop
	expect "^Remote Addres = ::1$"
	expect_not "127\\.0\\.0\\.1"
fi

start tcprtt -p 9 -P 9
wait_ready
conn "$WORKLOADS/tcpconn" 50
sleep 0.3
stop
expect_not "usecs"

"$BCCT" tcprtt -a 1.2.3 >/dev/null 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-a 1.2.3: exit $rc, not 2 with one line"
pass "-p -b -e, -m -T -a -A -P, -B -6, a port nobody uses, a bad address"

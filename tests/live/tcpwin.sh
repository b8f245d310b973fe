#!/bin/sh
# tcpwin: loopback TCP sessions of a marker-named workload (100 KB and the answer): CSV lines
# "rcv,0xADDR,US,CWND,SSTHRESH,SNDBUF,WMEM" with a congestion window of at least one segment
# and microseconds since the start that do not go backwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start tcpwin
wait_ready
sock tcp 4 100000
sock tcp 4 100000
sleep 0.3
stop
expect "^event,sock,time_us,snd_cwnd,snd_ssthresh,sk_sndbuf,sk_wmem_queued$"
expect "^rcv,0x[0-9a-f]+,[0-9]+,[1-9][0-9]*,[0-9]+,[0-9]+,-?[0-9]+$"
n=$(grep -c '^rcv,' "$OUT")
[ "$n" -ge 2 ] || fail "expected the sessions' received segments, got $n lines"
awk -F, '/^rcv,/ { if ($3 < last) bad = 1; last = $3 } END { exit bad }' "$OUT" ||
	fail "time_us went backwards"
pass "$n segments"

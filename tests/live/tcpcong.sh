#!/bin/sh
# tcpcong: a session of the marked workload on $PORT whose data segments to the server an
# nftables rule drops for 1.5 s (the handshake and ACKs pass): the client's flow goes into loss
# and back, so its row (local port: the client's, remote: $PORT) shows changes and time in loss;
# -R of the port keeps it and -L of the port drops it (the server's end changes no state); -d
# prints BCC's histograms per state left; -u the microsecond columns. Needs
# tcp:tcp_cong_state_set (5.18+).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
[ -d /sys/kernel/tracing/events/tcp/tcp_cong_state_set ] ||
	[ -d /sys/kernel/debug/tracing/events/tcp/tcp_cong_state_set ] ||
	skip "no tcp:tcp_cong_state_set tracepoint (5.18+): tcpcong refuses"
net_setup
lossy() { nft_lossy 1.5 "tcp dport $PORT meta length > 100 drop" "$@"; }

start tcpcong -R "$PORT"
wait_ready
lossy
sleep 0.3
stop
expect_header "Tracing tcp congestion control status duration... Hit Ctrl-C to end."
expect_header "LAddrPort            RAddrPort             Open_ms Dod_ms Rcov_ms Cwr_ms  Los_ms Chgs "
expect "^127\\.0\\.0\\.1/[0-9]+ +127\\.0\\.0\\.1/$PORT +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[1-9][0-9]* +[1-9][0-9]* *$"

start tcpcong -L "$PORT" -u
wait_ready
lossy
sleep 0.3
stop
expect_not "/$PORT "

start tcpcong -d -R "$((PORT - 1))-$((PORT + 1))"
wait_ready
lossy
sleep 0.3
stop
expect "^tcp_congest_state = loss$"
expect_header "     msecs               : count     distribution"
"$BCCT" tcpcong -L 5-x >/dev/null 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-L 5-x: exit $rc, not 2 with one line"
pass "a lossy session's time in loss, -R, -L, -d, -u"

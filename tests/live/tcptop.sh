#!/bin/sh
# tcptop: loopback sessions of a workload named after the marker (the client sends N KiB to the
# server in the same process) show, in one long interval ended by Ctrl-C, the client's row with
# TX_KB = N and the server's with RX_KB = N, in the IPv4 table and (IPv6 up) the IPv6 table with
# BCC's headers; --json gives the bytes exactly; -4 leaves IPv6 out; -S drops the loadavg line;
# -p of another process shows nothing of the workload; -4 -6 together is a usage error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup
M12=$(printf %.12s "$MARKER")
V6=; net_ipv6 && V6=1

start tcptop -C 30
wait_ready
conn "$TMPD/$MARKER" 200; W4=$W
[ -n "$V6" ] && { conn "$TMPD/$MARKER" 30 6; W6=$W; }
sleep 0.3
stop
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} loadavg: [0-9.]+ "
expect_header "PID     COMM         LADDR                 RADDR                  RX_KB  TX_KB"
expect "^$W4 +$M12 127\\.0\\.0\\.1:[0-9]+ +127\\.0\\.0\\.1:$PORT +0 +200$"
expect "^$W4 +$M12 127\\.0\\.0\\.1:$PORT +127\\.0\\.0\\.1:[0-9]+ +200 +0$"
if [ -n "$V6" ]; then
	expect_header "PID     COMM         LADDR6                           RADDR6                            RX_KB  TX_KB"
	expect "^$W6 +$M12 ::1:[0-9]+ +::1:$PORT +0 +30$"
	expect "^$W6 +$M12 ::1:$PORT +::1:[0-9]+ +30 +0$"
fi

# Exact bytes in JSON; -4 keeps IPv4 only; -S: no loadavg.
start tcptop --json -S -4 30
wait_ready
conn "$TMPD/$MARKER" 123; W4=$W
[ -n "$V6" ] && conn "$TMPD/$MARKER" 30 6
sleep 0.3
stop
expect "\"pid\":$W4,\"comm\":\"$M15\",\"laddr\":\"127\\.0\\.0\\.1\",\"lport\":[0-9]+,\"raddr\":\"127\\.0\\.0\\.1\",\"rport\":$PORT,\"ip\":4,\"rx_bytes\":0,\"tx_bytes\":125952\\}"
expect "\"pid\":$W4,\"comm\":\"$M15\",\"laddr\":\"127\\.0\\.0\\.1\",\"lport\":$PORT,\"raddr\":\"127\\.0\\.0\\.1\",\"rport\":[0-9]+,\"ip\":4,\"rx_bytes\":125952,\"tx_bytes\":0\\}"
expect_not "::1"
expect_not "loadavg"

# -p of another process: nothing of the workload's.
start tcptop -C -p 1 30
wait_ready
conn "$TMPD/$MARKER" 20
sleep 0.3
stop
expect_not "$M12"

"$BCCT" tcptop -4 -6 >/dev/null 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "-4 -6: exit $rc, not 2"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "-4 -6: not one line on stderr"
pass "IPv4${V6:+ and IPv6} tables, exact bytes in JSON, -4, -S, -p, -4 -6"

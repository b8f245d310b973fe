#!/bin/sh
# tcpretrans: retransmits made on purpose, two ways. SYN retransmits need no packet filter (so
# the VM guests run them too): a listener whose accept queue is full makes the kernel drop a
# second connect's SYN, which the client resends on its 1 s RTO: -s shows it from the client's
# end to the port, R>, SYN_SENT. Data retransmits where nft exists: an nftables rule (its own
# table, removed on exit) drops the data segments to the test's port at loopback input for a
# second, so the workload's client retransmits them on its RTO. -s: each retransmit, R>,
# ESTABLISHED and the same sequence number; -c: the flow counted; -6 on ::1. -l is refused in
# one line (exit 1) where neither fentry nor kprobes can reach tcp_send_loss_probe.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
net_setup
# lossy_conn [6]: a session whose client data is dropped for 1.5 s, then let through.
lossy_conn() { nft_lossy 1.5 "tcp dport $PORT meta length > 100 drop" "$@"; }

start tcpretrans -s
wait_ready
"$TMPD/$MARKER" synretrans "$PORT" || fail "tcpconn synretrans $PORT failed"
stop
expect_header "Tracing retransmits ... Hit Ctrl-C to end"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]+ +4  127\.0\.0\.1:[0-9]+ +R> 127\.0\.0\.1:$PORT +SYN_SENT +[0-9]+$"
has_cmd nft || { methods; pass "SYN retransmits (data retransmits need nft, absent here)"; }

start tcpretrans -s
wait_ready
lossy_conn
wait_out ":$PORT +ESTABLISHED"
stop
expect_header "Tracing retransmits ... Hit Ctrl-C to end"
expect_header "TIME     PID     IP LADDR:LPORT          T> RADDR:RPORT          STATE        SEQ       "
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]+ +4  127\.0\.0\.1:[0-9]+ +R> 127\.0\.0\.1:$PORT +ESTABLISHED  [0-9]+$"
# The RTO resends the same first unacknowledged segment: one sequence number, several lines.
n=$(grep -c ":$PORT .*ESTABLISHED" "$OUT")
[ "$n" -ge 2 ] || fail "expected at least 2 retransmits in 1.5 s of loss, got $n"
[ "$(grep ":$PORT .*ESTABLISHED" "$OUT" | awk '{ print $NF }' | sort -u | wc -l)" -eq 1 ] ||
	fail "the retransmits do not all resend one sequence number"

start tcpretrans -c -4
wait_ready
lossy_conn
stop
expect_header "LADDR:LPORT               RADDR:RPORT               RETRANSMITS"
expect "^\[127\.0\.0\.1\]#[0-9]+ +<-> \[127\.0\.0\.1\]#$PORT +[0-9]+$"

if net_ipv6; then
	start tcpretrans -6
	wait_ready
	lossy_conn 6
	wait_out "::1:$PORT +ESTABLISHED"
	stop
	expect_header "TIME     PID     IP LADDR:LPORT          T> RADDR:RPORT          STATE"
	expect "^[0-9:]{8} [0-9]+ +6  ::1:[0-9]+ +R> ::1:$PORT +ESTABLISHED$"
fi

if [ "$(feature kprobe)" != yes ] && [ "$(feature fentry)" != yes ]; then
	"$BCCT" tcpretrans -l >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-l without kprobes: exit $rc, want 1 and one line"
	expect_err "^tcpretrans: -l needs fentry or a kprobe on tcp_send_loss_probe"
fi
pass

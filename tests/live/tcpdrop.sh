#!/bin/sh
# tcpdrop: drops made on purpose. An nftables rule (its own table, removed on exit) drops the
# server's ACKs to the workload's client at loopback input for a second, so the client resends
# data the server already has, and TCP drops the duplicates at the server's socket (a drop
# reason, the receiving socket). Each is shown as client > server:PORT with the socket's state,
# the TCP flags and a kernel stack through tcp_v4_rcv; -6 the same over ::1 with no IPv4 line.
# Where the kernel has neither tcp_drop nor drop reasons in skb:kfree_skb (Debian's 5.10:
# tcp_drop inlined), the drops are recognised at __kfree_skb by the socket's sk_drops (fentry):
# the same assertions hold; without fentry there the applet must refuse in one line, exit 1
# (checked there with fentry disabled too).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_net.sh"
kfree_fmt=/sys/kernel/tracing/events/skb/kfree_skb/format
[ -r "$kfree_fmt" ] || kfree_fmt=/sys/kernel/debug/tracing/events/skb/kfree_skb/format
if [ -r "$kfree_fmt" ] && ! grep -q 'field:.* reason;' "$kfree_fmt" && ! grep -q ' tcp_drop$' /proc/kallsyms; then
	# The refusal, with fentry taken away (BCCT_DISABLE), then, where the kernel has fentry,
	# the sk_drops path below.
	BCCT_DISABLE=fentry timeout -s INT 20 "$BCCT" tcpdrop >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] || fail "tcpdrop without fentry exited $rc with nothing to trace with (expected a refusal, 1)"
	expect_err "no fentry on __kfree_skb"
	[ "$(grep -c . "$ERR")" -eq 1 ] || { cat "$ERR"; fail "the refusal took more than one line"; }
	[ "$(feature fentry)" = yes ] ||
		skip "no tcp_drop (inlined), no drop reasons in skb:kfree_skb (5.17+), no fentry: tcpdrop refuses, as checked"
fi
has_cmd nft || skip "no nft command to drop packets with (scripts/deps installs nftables)"
net_setup
# acks_lost [6]: a session whose server-to-client segments without SYN are dropped for 1.2 s.
acks_lost() { nft_lossy 1.2 "tcp sport $PORT tcp flags & syn == 0 drop" "$@"; }

start tcpdrop
wait_ready
acks_lost
wait_out "> 127\.0\.0\.1:$PORT "
sleep 0.3
stop
expect_header "TIME     PID     IP SADDR:SPORT          > DADDR:DPORT          STATE (FLAGS)"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]+ +4  127\.0\.0\.1:[0-9]+ +> 127\.0\.0\.1:$PORT +[A-Z_0-9]+ \(([A-Z]+\|)*ACK(\|[A-Z]+)*\)$"
# The stack of a drop at the server: the line, then tab-indented frames down through TCP's
# receive path.
awk -v p=":$PORT " 'index($0, p) && / > / { s = 1; next } s && /^\t/ { print } s && /^$/ { exit }' "$OUT" >"$TMPD/stack"
grep -Eq "^	tcp_v4_rcv\+0x[0-9a-f]+$" "$TMPD/stack" || { cat "$TMPD/stack"; fail "no tcp_v4_rcv+0x.. frame under the drop"; }

if net_ipv6; then
	start tcpdrop -6
	wait_ready
	acks_lost 6
	wait_out "> ::1:$PORT "
	sleep 0.3
	stop
	expect "^[0-9:]{8} [0-9]+ +6  ::1:[0-9]+ +> ::1:$PORT +[A-Z_0-9]+ \(.*ACK.*\)$"
	expect_not " 4  127\.0\.0\.1"
fi
pass

# Loopback TCP workloads for the TCP tool tests (tcplife.sh, tcpstates.sh, tcpconnect.sh, ...).
# Source it after lib.sh; it is not a test itself.
#
#   net_setup            # needs the tcpconn workload; copies it to $TMPD/$MARKER (the marked
#                        # process) and sets PORT: a loopback port free for it, from our pid
#   conn NAME KBYTES [6] # one session on $PORT by program NAME; W is its pid
#   net_ipv6             # true when a session over ::1 works here
#   wait_out REGEX       # waits (5 s at most) until the output has a line matching
#   nft_lossy SECONDS RULE [6]  # a session on $PORT by the marked workload (W) while an nftables
#                        # rule (loopback input, e.g. 'tcp dport 1234 drop') drops packets for
#                        # SECONDS; the rule's table is the test's own, removed on exit. Skips
#                        # the test without nft.
need_workload tcpconn
M10=$(printf %.10s "$MARKER")
M15=$(printf %.15s "$MARKER")

net_setup() {
	cp "$WORKLOADS/tcpconn" "$TMPD/$MARKER"
	PORT=
	for i in 0 1 2 3 4 5 6 7; do
		p=$((20000 + ($$ + i * 997) % 30000))
		"$WORKLOADS/tcpconn" "$p" 1 >/dev/null 2>&1 && { PORT=$p; return 0; }
	done
	fail "no free loopback port for the workload"
}

conn() {
	"$1" "$PORT" "$2" ${3:-} >/dev/null 2>&1 &
	W=$!
	wait "$W" || fail "workload $1 failed on port $PORT"
}

net_ipv6() { "$WORKLOADS/tcpconn" "$PORT" 1 6 >/dev/null 2>&1; }

# Events arrive asynchronously.
wait_out() {
	n=50
	while [ "$n" -gt 0 ] && ! grep -Eq -- "$1" "$OUT"; do sleep 0.1; n=$((n - 1)); done
}

NFT_TABLE="bcct_$TEST_NAME$$"
nft_lossy() {
	has_cmd nft || skip "no nft command to drop packets with (scripts/deps installs nftables)"
	trap 'nft delete table inet "$NFT_TABLE" 2>/dev/null; cleanup' EXIT
	nft add table inet "$NFT_TABLE" &&
		nft add chain inet "$NFT_TABLE" in '{ type filter hook input priority 0; }' &&
		nft add rule inet "$NFT_TABLE" in $2 ||
		fail "cannot add the nftables rule: $2"
	"$TMPD/$MARKER" "$PORT" 20 ${3:-} >/dev/null 2>&1 &
	W=$!
	sleep "$1"
	nft delete table inet "$NFT_TABLE"
	wait "$W" || fail "the workload failed on port $PORT"
}

#!/bin/sh
# sormem: a marker-named workload reads twice from loopback TCP sockets (1000 bytes, then the
# one-byte answer): both histograms, rmem_alloc and rmem_limit, count 2 receives, the limit
# (sk_rcvbuf) at least 1 KiB.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start sormem --comm "$SNAME"
wait_ready
sock tcp 4 1000
sleep 0.3
stop
expect "^Tracing socket receive buffer size. Hit Ctrl-C to end.$"
for b in rmem_alloc rmem_limit; do
	sed -n "/^buffer = $b\$/,/^\$/p" "$OUT" >"$TMPD/h"
	[ -s "$TMPD/h" ] || fail "no $b histogram"
	n=$(awk -F: '/->/ { split($2, a, "|"); s += a[1] } END { print s + 0 }' "$TMPD/h")
	[ "$n" -eq 2 ] || fail "$b counted $n receives, expected 2"
done
sed -n '/^buffer = rmem_limit$/,/^$/p' "$OUT" | grep -Eq '^ +[0-9]{4,} -> [0-9]+ +: [1-9]' ||
	fail "rmem_limit below 1 KiB"
# The raw tracepoints are chosen for the overflows too (released at exit in about a millisecond, a
# tracepoint perf event in tens: bench/ctrlc).
expect_err "probe rcvqueue_full: raw_tp sock_rcvqueue_full"
expect_err "probe exceed_buf_limit: raw_tp sock_exceed_buf_limit"
pass

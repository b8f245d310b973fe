#!/bin/sh
# skblife: loopback TCP sessions of 100 KB each allocate and free sk_buffs: the nanosecond
# histogram counts their buffers (at least the two data segments of each), all living over 64 ns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start skblife
wait_ready
sock tcp 4 100000
sock tcp 4 100000
sleep 0.3
stop
expect "^Tracing sk_buff lifespans... Hit Ctrl-C to end.$"
expect '^ +nsecs +: count +distribution$'
n=$(awk -F: '/->/ { split($2, a, "|"); s += a[1] } END { print s + 0 }' "$OUT")
[ "$n" -ge 4 ] || fail "only $n sk_buff lifespans for two sessions"
awk '/->/ { split($0, f, ":"); split(f[2], c, "|"); if (c[1] + 0 > 0 && $3 + 0 < 64) bad = 1 }
     END { exit bad }' "$OUT" || fail "a lifespan below 64 ns"
# The raw tracepoints are chosen (their links are released at exit in about a millisecond, a
# tracepoint perf event in tens: bench/ctrlc); without raw_tp the kmem tracepoints, the same.
expect_err "probe skb_alloc: raw_tp kmem_cache_alloc"
expect_err "probe skb_free: raw_tp kmem_cache_free"
raw=$n
BCCT_DISABLE=raw_tp; export BCCT_DISABLE
start skblife
unset BCCT_DISABLE
wait_ready
sock tcp 4 100000
sleep 0.3
stop
expect_err "probe skb_alloc: tracepoint kmem/kmem_cache_alloc"
n=$(awk -F: '/->/ { split($2, a, "|"); s += a[1] } END { print s + 0 }' "$OUT")
[ "$n" -ge 2 ] || fail "only $n sk_buff lifespans for a session with the tracepoints"
pass "$raw lifespans"

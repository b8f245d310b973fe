#!/bin/sh
# kmem: a marker-named memops opens /dev/null 500 times (a struct file from the filp cache each):
# its row counts at least 500 allocations, with the average and total in bytes consistent.
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "km$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start kmem --comm "$NAME"
wait_ready
"$TMPD/$NAME" open 500 || fail "workload failed"
sleep 0.3
stop
expect_header "COMM                  COUNT  AVG_BYTES    TOTAL_BYTES"
row=$(grep "^$NAME " "$OUT") || fail "no row for $NAME"
set -- $row
[ "$2" -ge 500 ] || fail "count $2, want >= 500"
[ "$3" -eq $(($4 / $2)) ] || fail "average $3 is not total $4 / count $2"
# The raw tracepoints are chosen (their links are released at exit in about a millisecond, a
# tracepoint perf event in tens: bench/ctrlc); without raw_tp the kmem tracepoints count the same.
expect_err "probe kmalloc: raw_tp kmalloc"
expect_err "probe cache_alloc: raw_tp kmem_cache_alloc"
count=$2 bytes=$4
BCCT_DISABLE=raw_tp; export BCCT_DISABLE
start kmem --comm "$NAME"
unset BCCT_DISABLE
wait_ready
"$TMPD/$NAME" open 500 || fail "workload failed"
sleep 0.3
stop
expect_err "probe cache_alloc: tracepoint kmem/kmem_cache_alloc"
row=$(grep "^$NAME " "$OUT") || fail "no row for $NAME with the tracepoints"
set -- $row
[ "$2" -ge 500 ] || fail "tracepoints: count $2, want >= 500"
pass "$count allocations, $bytes bytes"

#!/bin/sh
# kmem: a marker-named memops opens /dev/null 500 times (a struct file from the filp cache each):
# its row counts at least 500 allocations, with the average and total in bytes consistent; on the
# raw tracepoints first, then (BCCT_DISABLE=raw_tp) on the kmem tracepoints.
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "km$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"

# run_checked WHAT: one run around the workload; leaves the row's fields in $1..$4.
run_checked() {
	start kmem --comm "$NAME"
	wait_ready
	"$TMPD/$NAME" open 500 || fail "workload failed"
	sleep 0.3
	stop
	expect_header "COMM                  COUNT  AVG_BYTES    TOTAL_BYTES"
	row=$(grep "^$NAME " "$OUT") || fail "$1: no row for $NAME"
	set -- $row
	[ "$2" -ge 500 ] || fail "$1: count $2, want >= 500"
	[ "$3" -eq $(($4 / $2)) ] || fail "$1: average $3 is not total $4 / count $2"
	ROW=$row
}

# The raw tracepoints are chosen (their links are released at exit in about a millisecond, a
# tracepoint perf event in tens: bench/ctrlc); without raw_tp the kmem tracepoints count the same.
run_checked "raw_tp"
expect_err "probe kmalloc: raw_tp kmalloc"
expect_err "probe cache_alloc: raw_tp kmem_cache_alloc"
RAW_ROW=$ROW
BCCT_DISABLE=raw_tp; export BCCT_DISABLE
run_checked "tracepoints"
unset BCCT_DISABLE
expect_err "probe cache_alloc: tracepoint kmem/kmem_cache_alloc"
set -- $RAW_ROW
pass "$2 allocations, $4 bytes"

#!/bin/sh
# opensnoop under an open() storm with a tiny buffer (-b 1: a page per CPU): events are lost,
# and what it printed plus the loss it reported at exit is exactly what the workload made
# (build/bench/syscall_storm's own count of opens, one process per CPU for 2 s), with the ring
# buffer and with the perf buffer of kernels before 5.8. Fails when the loss is not reported
# (delivered alone falls short) or overstated (the perf buffer's own lost records counted too).
. "$(dirname "$0")/lib.sh"

STORM="$(dirname "$BCCT")/bench/syscall_storm"
[ -x "$STORM" ] || skip "$STORM not built (the default build makes bench/syscall_storm)"
T="$TMPD/$MARKER"
: >"$T"
# The storm under a name of its own: another syscall_storm running meanwhile (bench/storm) must
# not add its lost opens to this count.
NAME=$(echo "s$MARKER" | cut -c1-15)
cp "$STORM" "$TMPD/$NAME" && STORM="$TMPD/$NAME"
NCPU=$(ncpus)

# storm WHAT: one run; --comm: only the storm's opens fill the buffer and count as lost (the
# machine's other opens would count too).
storm() {
	start opensnoop -b 1 --comm "$NAME"
	wait_ready
	produced=$("$STORM" open "$T" "$NCPU" 2 | sed -n 's/^calls //p')
	sleep 0.5
	stop
	delivered=$(grep -cF "$T" "$OUT")
	lost=$(sed -n 's/.*lost \([0-9]*\) events.*/\1/p' "$ERR" | awk '{ s += $1 } END { print s + 0 }')
	[ "${produced:-0}" -gt 0 ] || fail "$1: the storm made no opens"
	[ "$lost" -gt 0 ] || fail "$1: no loss reported with a one-page buffer under a storm of $produced opens"
	[ "$delivered" -gt 0 ] || fail "$1: nothing delivered"
	# Every open was made before the stop, so none is in flight: the sum is exact.
	[ $((delivered + lost)) -eq "$produced" ] ||
		fail "$1: delivered $delivered + lost $lost = $((delivered + lost)), the workload made $produced"
	echo "$1: $delivered delivered + $lost lost = $produced opens"
}

storm "ring buffer"
BCCT_FORCE_PERFBUF=1; export BCCT_FORCE_PERFBUF
storm "perf buffer"
unset BCCT_FORCE_PERFBUF
expect_err "using a perf buffer"
pass

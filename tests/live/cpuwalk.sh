#!/bin/sh
# cpuwalk: a marker-named memops spins one thread pinned on each CPU for 2 s; the histogram by CPU
# of its samples has CPUs 0 and 1 with at least 10 each (99 Hz, on a machine busy with other work).
. "$(dirname "$0")/lib.sh"
need_workload memops
NCPU=$(ncpus)
[ "$NCPU" -ge 2 ] || skip "needs 2 CPUs"
NAME=$(printf '%.15s' "cw$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start cpuwalk --comm "$NAME"
wait_ready
"$TMPD/$NAME" spin "$NCPU" 2000 || fail "workload failed"
sleep 0.3
stop
expect_header "     cpu           : count     distribution"
for c in 0 1; do
	n=$(awk -v c="$c" '$1 == c && $2 == ":" { print $3 }' "$OUT")
	[ "${n:-0}" -ge 10 ] || fail "CPU $c: ${n:-no} samples, want >= 10"
done
pass

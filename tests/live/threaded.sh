#!/bin/sh
# threaded: a marker-named memops runs 3 spinning threads for 2 s (pinned round-robin on the
# CPUs): every second, rows of the marker's PID, one per thread (TID); summed over the intervals
# each of the 3 threads has at least 5 samples (at 99 Hz, on a machine busy with other work).
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "th$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start threaded --comm "$NAME"
wait_ready
"$TMPD/$NAME" spin 3 2000 &
WPID=$!
wait "$WPID" || fail "workload failed"
sleep 1.2
stop
expect_header "COMM             PID     TID     SAMPLES"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"
tids=$(awk -v c="$NAME" -v p="$WPID" '$1 == c && $2 == p && $3 != p { n[$3] += $4 }
	END { for (t in n) if (n[t] >= 5) print t }' "$OUT" | wc -l)
[ "$tids" -eq 3 ] || fail "threads with >= 5 samples: $tids, want 3"
pass "3 threads sampled"

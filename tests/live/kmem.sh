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
pass "$2 allocations, $4 bytes"

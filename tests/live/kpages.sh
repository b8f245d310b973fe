#!/bin/sh
# kpages (stackcount -K -P t:kmem:mm_page_alloc): a marker-named memops touches 300 fresh
# anonymous pages; the kernel stacks under the marker's "comm [pid]" lines count at least 300 page
# allocations, through the page-fault handler.
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "kp$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start kpages --comm "$NAME"
wait_ready
"$TMPD/$NAME" fault 300 &
WPID=$!
wait "$WPID" || fail "workload failed"
sleep 0.3
stop
expect "^    $NAME \[$WPID\]$"
expect "^  ([0-9a-f]+ +)?(handle_mm_fault|__handle_mm_fault|do_anonymous_page|exc_page_fault)$"
n=$(awk -v c="    $NAME [$WPID]" '$0 == c { m = 1; next } m && /^    [0-9]+$/ { s += $1; m = 0 } END { print s + 0 }' "$OUT")
[ "$n" -ge 300 ] || fail "page allocations of the marker: $n, want >= 300"
pass "$n page allocations"

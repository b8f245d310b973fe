#!/bin/sh
# syncsnoop: a workload waits at a gate, then makes 3 calls of each of sync, syncfs, fsync,
# fdatasync, msync, sync_file_range; syncsnoop -p on its pid shows exactly those 18 calls, in
# BCC's columns, and nothing of other processes (a `sync` run beside it).
. "$(dirname "$0")/lib.sh"
need_workload syncstorm

"$WORKLOADS/syncstorm" "$TMPD/$MARKER" 3 &
WPID=$!
start syncsnoop -p "$WPID"
wait_ready
sync
: >"$TMPD/$MARKER"
wait "$WPID" || fail "workload failed"
sleep 0.3
stop
expect_header "TIME(s)            CALL"
for c in sync syncfs fsync fdatasync msync sync_file_range; do
	n=$(grep -Ec "^[0-9]+\.[0-9]{9} +$c\(\)$" "$OUT")
	[ "$n" -eq 3 ] || fail "expected 3 $c() calls, saw $n"
done
[ "$(grep -c '()$' "$OUT")" -eq 18 ] || fail "expected 18 calls in all"
pass

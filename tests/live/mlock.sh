#!/bin/sh
# mlock: a marker-named memops runs 4 threads writing 50000 single bytes each into one pipe its
# main thread drains: they wait on the pipe's mutex. Histograms per kernel stack under the
# marker's "comm [pid]" lines, one through the pipe's read or write, at least one wait in all.
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "ml$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start mlock --comm "$NAME"
wait_ready
"$TMPD/$NAME" pipe 4 50000 || fail "workload failed"
sleep 0.3
stop
expect_header "     nsecs               : count     distribution"
expect "^    $NAME \[[0-9]+\]$"
expect "^  (pipe_write|pipe_read|anon_pipe_write|anon_pipe_read|fifo_pipe_read)$"
n=$(awk -v c="$NAME" '$1 == c { m = 1; next } m && $4 == ":" { s += $5 } /^$/ { m = 0 } END { print s + 0 }' "$OUT")
[ "$n" -ge 1 ] || fail "waits of $NAME: $n, want >= 1"
pass "$n mutex waits"

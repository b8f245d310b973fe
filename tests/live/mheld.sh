#!/bin/sh
# mheld: with kprobes, a marker-named memops runs 4 threads writing 50000 single bytes each into
# one pipe (each write takes and releases the pipe's mutex): histograms per kernel stack under
# the marker's "comm [pid]" lines, with at least 50000 holds in all. Without kprobes (hold times
# need mutex_lock's return and mutex_unlock; no tracepoint gives them), one line and exit 1.
. "$(dirname "$0")/lib.sh"
need_workload memops
if [ "$(feature kprobe)" != yes ]; then
	no_method_test mheld
	pass "no kprobes: refused with one line"
fi
NAME=$(printf '%.15s' "mh$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start mheld --comm "$NAME"
wait_ready 60
"$TMPD/$NAME" pipe 4 50000 || fail "workload failed"
sleep 0.3
stop
expect_header "     nsecs               : count     distribution"
expect "^    $NAME \[[0-9]+\]$"
n=$(awk -v c="$NAME" '$1 == c { m = 1; next } m && $4 == ":" { s += $5 } /^$/ { m = 0 } END { print s + 0 }' "$OUT")
[ "$n" -ge 50000 ] || fail "holds by $NAME: $n, want >= 50000"
methods
pass "$n mutex holds"

#!/bin/sh
# dcstat: with kprobes or fentry, marker-named fileops stat()s 500 names that do not exist: the
# rows (--comm) must sum to at least 500 references (lookup_fast calls). SLOW and MISS count
# d_lookup(), which path walks on current kernels no longer call on a miss (d_alloc_parallel
# looks up instead), as with BCC's dcstat: they are printed, not asserted. Without kprobes and
# fentry (no dcache tracepoint exists), one line naming what is missing and exit 1.
. "$(dirname "$0")/lib.sh"
need_workload fileops
if [ "$(feature kprobe)" != yes ] && [ "$(feature fentry)" != yes ]; then
	no_method_test dcstat 1
	pass "no kprobes or fentry: refused with one line"
fi
NAME=$(echo "$MARKER" | cut -c1-15)
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
sum() { awk -v c="$1" '$1 ~ /^[0-9:]+:$/ { s += $c } END { print s + 0 }' "$OUT"; }
start dcstat --comm "$NAME" 1
wait_ready 60
"$TMPD/$NAME" lookup "$TMPD" 500
sleep 1.2
stop
expect_header "TIME         REFS/s   SLOW/s   MISS/s     HIT%"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}: +[0-9]+ +[0-9]+ +[0-9]+ +([0-9]+\.[0-9]{2}|-%)$"
[ "$(sum 2)" -ge 500 ] || fail "REFS total $(sum 2), expected >= 500"
pass "refs $(sum 2), slow $(sum 3), misses $(sum 4)"

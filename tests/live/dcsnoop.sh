#!/bin/sh
# dcsnoop: with kprobes or fentry, marker-named fileops stat()s 200 names that do not exist:
# with -a each must show as an R (reference: lookup_fast) line with its name. M (miss) lines
# come from d_lookup() returning NULL, which current kernels' path walks no longer call on a miss
# (as with BCC's dcsnoop): counted, not asserted. Without kprobes and fentry (no dcache
# tracepoint exists), one line naming what is missing and exit 1.
. "$(dirname "$0")/lib.sh"
need_workload fileops
if [ "$(feature kprobe)" != yes ] && [ "$(feature fentry)" != yes ]; then
	no_method_test dcsnoop
	pass "no kprobes or fentry: refused with one line"
fi
NAME=$(echo "$MARKER" | cut -c1-15)
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
start dcsnoop -a --comm "$NAME"
wait_ready 60
"$TMPD/$NAME" lookup "$TMPD" 200
sleep 0.5
stop
expect_header "TIME(s)     PID     COMM             T FILE"
n=$(grep -cE "^[0-9]+\.[0-9]{6} +[0-9]+ +$NAME +R nx[0-9]+$" "$OUT")
[ "$n" -ge 200 ] || fail "$n references of nx* names, expected >= 200"
start dcsnoop --comm "$NAME"
wait_ready 60
"$TMPD/$NAME" lookup "$TMPD" 200
sleep 0.5
stop
expect_not " R "
pass "references $n; misses without -a: $(grep -c " M " "$OUT")"

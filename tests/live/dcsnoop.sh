#!/bin/sh
# dcsnoop: with kprobes or fentry, marker-named fileops stat()s 200 names that do not exist:
# each must show as an M (miss) line with its name; with -a, R (reference) lines too. Without
# either (no dcache tracepoint exists), one line naming what is missing and exit 1.
. "$(dirname "$0")/lib.sh"
need_workload fileops
if [ "$(feature kprobe)" != yes ] && [ "$(feature fentry)" != yes ]; then
	no_method_test dcsnoop
	pass "no kprobes or fentry: refused with one line"
fi
NAME=$(echo "$MARKER" | cut -c1-15)
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
start dcsnoop --comm "$NAME"
wait_ready 60
"$TMPD/$NAME" lookup "$TMPD" 200
sleep 0.5
stop
expect_header "TIME(s)     PID     COMM             T FILE"
n=$(grep -cE "^[0-9]+\.[0-9]{6} +[0-9]+ +$NAME +M nx[0-9]+$" "$OUT")
[ "$n" -ge 200 ] || fail "$n misses of nx* names, expected >= 200"
start dcsnoop -a --comm "$NAME"
wait_ready 60
"$TMPD/$NAME" lookup "$TMPD" 20
sleep 0.5
stop
expect "^[0-9]+\.[0-9]{6} +[0-9]+ +$NAME +R "
pass

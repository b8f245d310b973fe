#!/bin/sh
# drsnoop: BCC's header in its variants (-T, -U, -t's TID, -v's FREE(KB)), attached to the
# direct reclaim tracepoints. A direct reclaim needs the whole machine short of free memory (a
# memory cgroup at its limit reclaims through other events): the test cannot make one, so when
# none happens while it runs, it is load-only.
. "$(dirname "$0")/lib.sh"

start drsnoop -T -U
wait_ready
sleep 0.5
stop
expect_header "TIME(s)       UID   COMM           PID     LAT(ms) PAGES"

start drsnoop -t 1
wait_ready
stop
expect_header "COMM           TID     LAT(ms) PAGES  FREE(KB)"   # -v: added by start()

"$BCCT" drsnoop -n >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-n without a name: status $rc, expected 2 and one line"

# Whatever reclaim happened meanwhile (none on a machine with memory to spare).
start drsnoop
wait_ready
sleep 2
stop
if grep -Eq "^.{14} [0-9]+ +[0-9]+\.[0-9]{2} +[0-9]+ +[0-9]+$" "$OUT"; then
	pass "direct reclaim seen"
fi
load_only "no direct reclaim while the test ran (it needs the whole machine short of memory)"

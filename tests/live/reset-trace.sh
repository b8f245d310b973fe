#!/bin/sh
# reset-trace: a marker written into the trace buffer is cleared ("Needed to reset .../trace");
# an event enabled by hand is noticed but left alone ("Noticed unrelated tracing file
# .../events/enable ...") unless -F, which disables it; a clean state prints nothing, -q nothing
# at all, -v the files it checks; --json is refused (docs/JSON.md).
. "$(dirname "$0")/lib.sh"
"$BCCT" tplist sched:sched_process_fork >/dev/null 2>&1 || fail "tplist could not mount tracefs"
T=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
[ -n "$T" ] && [ -w "$T/trace_marker" ] || skip "no writable tracefs"
EV="$T/events/sched/sched_process_fork/enable"
[ "$(cat "$T/events/enable")" = 0 ] || skip "events are enabled already (another tracer is using ftrace)"
cleanup_trace() { echo 0 >"$EV" 2>/dev/null; }
trap 'cleanup_trace; cleanup' EXIT
rt() { "$BCCT" reset-trace "$@" >"$OUT" 2>"$ERR" || fail "reset-trace $* failed: $(cat "$ERR")"; }

echo "$MARKER" >"$T/trace_marker"
grep -q "$MARKER" "$T/trace" || fail "the marker is not in the trace buffer"
rt
expect "^Needed to reset $T/trace$"
grep -q "$MARKER" "$T/trace" && fail "the trace buffer still holds the marker"

echo 1 >"$EV"
rt
expect "^Noticed unrelated tracing file $T/events/enable isn't set as expected. Not resetting \(-F to force, -v for verbose\)\.$"
[ "$(cat "$EV")" = 1 ] || fail "reset-trace without -F disabled the event"
rt -v
expect "^Checking $T/events/enable$"
expect "^events/enable, contents \(line enumerated\):$"
expect '^Expected "0"\.$'
rt -F
expect "^Needed to reset $T/events/enable$"
[ "$(cat "$EV")" = 0 ] || fail "-F left the event enabled"

rt
[ ! -s "$OUT" ] || fail "a clean state printed: $(cat "$OUT")"
echo 1 >"$EV"
rt -q
[ ! -s "$OUT" ] || fail "-q printed: $(cat "$OUT")"
cleanup_trace
"$BCCT" reset-trace --json >/dev/null 2>"$TMPD/json.err" && fail "--json accepted"
pass "trace buffer, events/enable noticed and -F reset, -q, -v"

#!/bin/sh
# Ctrl-C under a storm the consumer cannot keep up with: trace on a uprobe hit millions of times
# a second by four processes (more than this machine's cores), trace itself at nice 19,
# output to a file. libbpf consumes a ring buffer until it is empty, which here is never; the
# event loop yields between batches and drains for a bounded time after the signal, so trace must
# exit 0 well within 10 s (it hung until killed before), counting lost events, no link left.
. "$(dirname "$0")/lib.sh"
need_workload callstorm
has_cmd nice || skip "no nice"
has_cmd bpftool || skip "bpftool not found (needed to check that no link is left)"
W="$TMPD/callstorm"
cp "$WORKLOADS/callstorm" "$W"
nice -n 19 "$BCCT" trace -v "p:$W:bcct_storm_call \"%d\", arg1" >"$OUT" 2>"$ERR" &
APID=$!
wait_ready
STORM=
for i in 1 2 3 4; do "$W" 60 & STORM="$STORM $!"; done
trap 'kill $STORM 2>/dev/null; cleanup' EXIT
sleep 3
links=$(grep -h '^link_id:' /proc/"$APID"/fdinfo/* 2>/dev/null | awk '{ print $2 }')
[ -n "$links" ] || fail "no bpf link fds found"
kill -INT "$APID"
n=100
while kill -0 "$APID" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
kill -0 "$APID" 2>/dev/null && { kill -9 "$APID"; APID=; fail "trace still running 10 s after SIGINT under the storm"; }
wait "$APID"; rc=$?
APID=
[ "$rc" -eq 0 ] || fail "trace exited with status $rc"
[ "$(grep -c '^' "$OUT")" -gt 1000 ] || fail "trace printed only $(grep -c '^' "$OUT") lines"
expect_err "lost [0-9]+ events"
for id in $links; do
	bpftool link show id "$id" >/dev/null 2>&1 && fail "link $id left after exit"
done
pass "trace at nice 19 under a uprobe storm exits on SIGINT, lost events counted"

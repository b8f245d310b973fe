#!/bin/sh
# naptime: a workload named after the marker sleeps through nanosleep() for 0.120 s,
# clock_nanosleep() relative for 0.130 s and absolute on CLOCK_MONOTONIC 0.5 s ahead: three rows
# in the book's columns (TIME PPID PCOMM PID COMM SECONDS) with this shell as the parent and the
# seconds the calls asked for (the absolute one: what remained, 0.4xx); its zero-length sleep
# and absolute CLOCK_REALTIME deadline are not shown. --json has sleep_ns.
. "$(dirname "$0")/lib.sh"

need_workload naps
W="$TMPD/$MARKER"
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/naps" "$W"
PCOMM=$(cat /proc/$$/comm)

start naptime
wait_ready
"$W" /dev/null & NPID=$!
wait "$NPID"
sleep 0.3
stop
expect "^Tracing sleeps\. Hit Ctrl-C to end\.$"
expect_header "TIME     PPID   PCOMM            PID    COMM             SECONDS"
row() { printf '%-6d %-16s %-6d %-16s %s' "$$" "$PCOMM" "$NPID" "$COMM" "$1"; }
grep -Fq -- "$(row 0.120)" "$OUT" || fail "no nanosleep row: $(row 0.120)"
grep -Fq -- "$(row 0.130)" "$OUT" || fail "no clock_nanosleep row: $(row 0.130)"
grep -Eq -- "^[0-9]{2}:[0-9]{2}:[0-9]{2} $(row '0.4[0-9]{2}')$" "$OUT" || fail "no absolute monotonic row (0.4xx s)"
[ "$(grep -c " $COMM " "$OUT")" -eq 3 ] || fail "expected exactly 3 sleeps of $COMM: $(grep " $COMM " "$OUT")"

start naptime --json
wait_ready
"$W" /dev/null & NPID=$!
wait "$NPID"
sleep 0.3
stop
expect "^\{\"ts\":\"[^\"]+\",\"ts_ns\":[0-9]+,\"ppid\":$$,\"pcomm\":\"[^\"]*\",\"pid\":$NPID,\"comm\":\"$COMM\",\"sleep_ns\":120000000\}$"
pass

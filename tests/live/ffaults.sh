#!/bin/sh
# ffaults: a marker-named memops writes to 100 pages of a private mapping of a marker file (a
# copy-on-write fault each, no fault-around): the marker file's row counts at least 100 faults.
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "ff$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
head -c $((100 * 4096)) /dev/zero >"$TMPD/$MARKER"
start ffaults --comm "$NAME"
wait_ready
"$TMPD/$NAME" mfault "$TMPD/$MARKER" 100 || fail "workload failed"
sleep 0.3
stop
expect_header "  FAULTS FILE"
n=$(awk -v f="$MARKER" '$2 == f { print $1 }' "$OUT")
[ "${n:-0}" -ge 100 ] || fail "faults on $MARKER: ${n:-none}, want >= 100"
pass "$n faults on the marker file"

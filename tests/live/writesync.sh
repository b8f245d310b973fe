#!/bin/sh
# writesync: a marker-named fileops writes one file 3 times opened O_DSYNC and another 5 times
# without: --comm keeps exactly those two rows, "sync" and "regular", with their counts; its
# write to a pipe (not a regular file) is not counted.
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(printf '%.15s' "ws$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
start writesync --comm "$NAME"
wait_ready
"$TMPD/$NAME" write "$TMPD/$MARKER.s" 512 3 dsync || fail "workload failed"
"$TMPD/$NAME" write "$TMPD/$MARKER.r" 512 5 || fail "workload failed"
"$TMPD/$NAME" write /dev/stdout 512 2 | cat >/dev/null
sleep 0.3
stop
expect_header "TYPE    COMM                COUNT FILE"
expect "^sync    $NAME +3 $MARKER\\.s$"
expect "^regular $NAME +5 $MARKER\\.r$"
[ "$(grep -c " $NAME " "$OUT")" -eq 2 ] || fail "expected two rows"
pass

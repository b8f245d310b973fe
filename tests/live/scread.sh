#!/bin/sh
# scread: a marker-named fileops reads a marker file 5 times (512 of its 4096 bytes each):
# --comm keeps a row of 5 read() calls for that file name.
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(printf '%.15s' "sr$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
head -c 4096 /dev/zero >"$TMPD/$MARKER"
start scread --comm "$NAME"
wait_ready
"$TMPD/$NAME" read "$TMPD/$MARKER" 512 5 || fail "workload failed"
sleep 0.3
stop
expect_header "   COUNT FILE"
expect "^       5 $MARKER$"
pass

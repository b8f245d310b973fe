#!/bin/sh
# mmapfiles: a marker-named fileops maps a marker file in DIR/SUB 6 times: --comm keeps a row of
# 6 mappings named DIR/SUB/FILE (the file's directory and that directory's parent).
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(printf '%.15s' "mm$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
mkdir -p "$TMPD/d$MARKER/sub"
head -c 4096 /dev/zero >"$TMPD/d$MARKER/sub/$MARKER"
start mmapfiles --comm "$NAME"
wait_ready
"$TMPD/$NAME" mmap "$TMPD/d$MARKER/sub/$MARKER" 6 || fail "workload failed"
sleep 0.3
stop
expect_header "   COUNT DIR2/DIR1/FILE"
expect "^       6 d$MARKER/sub/$MARKER$"
pass

#!/bin/sh
# filetype: a marker-named fileops reads /dev/zero 7 times (character, vfs_read), writes a file 4
# times (regular, vfs_write) and a pipe 3 times (fifo, vfs_write): --comm keeps its rows, with
# those exact counts, in the book's columns.
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(printf '%.15s' "ft$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
start filetype --comm "$NAME"
wait_ready
"$TMPD/$NAME" read /dev/zero 512 7 || fail "workload read failed"
"$TMPD/$NAME" write "$TMPD/$MARKER" 512 4 || fail "workload write failed"
"$TMPD/$NAME" write /dev/stdout 512 3 | cat >/dev/null
sleep 0.3
stop
expect_header "TYPE       FUNC       COMM                COUNT"
expect "^character  vfs_read   $NAME +7$"
expect "^regular    vfs_write  $NAME +4$"
expect "^fifo       vfs_write  $NAME +3$"
grep -E "^[a-z]+ " "$OUT" | grep -v "^Tracing" | grep -v " $NAME " && fail "a row of another process"
pass

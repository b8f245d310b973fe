#!/bin/sh
# bufgrow: a marker-named fileops reads 1 MiB of a fresh loop device through the page cache: its
# row (--comm) shows at least 1024 KB of buffer cache growth (readahead may add up to a window
# more, counted to the same reader), in the book's units; a regular file read beside it adds
# nothing (not a block device).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"
need_workload fileops
setup_disk loop
NAME=$(printf '%.15s' "bg$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
head -c 1048576 /dev/urandom >"$TMPD/$MARKER"
start bufgrow --comm "$NAME"
wait_ready
"$TMPD/$NAME" read "$TARGET" 4096 256 || fail "workload failed"
sleep 0.3
stop
expect_header "COMM                     KB"
kb=$(awk -v n="$NAME" '$1 == n { print $2 }' "$OUT")
[ -n "$kb" ] || fail "no row for $NAME"
[ "$kb" -ge 1024 ] && [ "$kb" -le 4096 ] || fail "$kb KB, expected 1024 to 4096"
start bufgrow --comm "$NAME"
wait_ready
"$TMPD/$NAME" read "$TMPD/$MARKER" 4096 || fail "workload failed"
sleep 0.3
stop
expect_not "^$NAME "
pass "$kb KB"

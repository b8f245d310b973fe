#!/bin/sh
# vfssize: a marker-named fileops reads /dev/zero 6 times 4096 bytes and writes a marker file 5
# times 512 bytes: --comm keeps its histograms, one per file, with those counts in the
# 4096 -> 8191 and 512 -> 1023 slots.
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(printf '%.15s' "vs$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
start vfssize --comm "$NAME"
wait_ready
"$TMPD/$NAME" read /dev/zero 4096 6 || fail "workload read failed"
"$TMPD/$NAME" write "$TMPD/$MARKER" 512 5 || fail "workload write failed"
sleep 0.3
stop
# The line after a section header, up to the next blank line: that histogram.
hist() { awk -v s="$1" '$0 == s { on = 1; next } on && /^$/ { exit } on' "$OUT"; }
hist "comm = $NAME, file = zero" | grep -Eq '^ +4096 -> 8191 +: 6 +\|\*+ *\|$' ||
	fail "no 6 reads of 4096 bytes from /dev/zero"
hist "comm = $NAME, file = $MARKER" | grep -Eq '^ +512 -> 1023 +: 5 +\|\*+ *\|$' ||
	fail "no 5 writes of 512 bytes to the marker file"
expect "^     bytes               : count     distribution$"
pass

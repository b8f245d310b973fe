#!/bin/sh
# socksize: a marker-named workload writes 1000 bytes over a loopback TCP session and reads
# them, then answers one byte: its read and write histograms each hold one 1000 (512 -> 1023)
# and one 1 (0 -> 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start socksize --comm "$SNAME"
wait_ready
sock tcp 4 1000
sleep 0.3
stop
for dir in read write; do
	sed -n "/^comm = $SNAME, dir = $dir\$/,/^\$/p" "$OUT" >"$TMPD/h"
	[ -s "$TMPD/h" ] || fail "no $dir histogram for $SNAME"
	grep -Eq '^ +bytes +: count +distribution$' "$TMPD/h" || fail "no bytes header ($dir)"
	grep -Eq '^ +0 -> 1 +: 1 +\|' "$TMPD/h" || fail "$dir: expected the 1-byte answer"
	grep -Eq '^ +512 -> 1023 +: 1 +\|' "$TMPD/h" || fail "$dir: expected the 1000 bytes"
done
pass

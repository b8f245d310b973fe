#!/bin/sh
# vfsstat: a copy of dd named after the marker (--comm) copies 500 one-byte blocks into a new
# file with conv=fsync: the columns, summed over the 1-second rows, must show 500 reads and
# writes (plus the few reads of the dynamic loader), one fsync, its opens and (fallback) the
# O_CREAT open as a create. -p of another process counts none of it.
. "$(dirname "$0")/lib.sh"
NAME=$(echo "$MARKER" | cut -c1-15)
cp "$(command -v dd)" "$TMPD/$NAME"
head -c 500 /dev/urandom >"$TMPD/src"

# sum COLUMN: the column's total over the rows (the rates are per second, intervals 1 s).
sum() { awk -v c="$1" '$1 ~ /^[0-9:]+:$/ { s += $c } END { print s + 0 }' "$OUT"; }

start vfsstat --comm "$NAME" 1
wait_ready
"$TMPD/$NAME" if="$TMPD/src" of="$TMPD/dst" bs=1 conv=fsync 2>/dev/null
sleep 1.2
stop
expect_header "TIME         READ/s  WRITE/s  FSYNC/s   OPEN/s CREATE/s"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}: +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$"
r=$(sum 2); w=$(sum 3); f=$(sum 4); o=$(sum 5); c=$(sum 6)
[ "$r" -ge 500 ] && [ "$r" -le 520 ] || fail "READ total $r, expected 500-520"
[ "$w" -ge 500 ] && [ "$w" -le 505 ] || fail "WRITE total $w, expected 500-505"
[ "$f" -eq 1 ] || fail "FSYNC total $f, expected 1"
[ "$o" -ge 3 ] && [ "$o" -le 40 ] || fail "OPEN total $o, expected 3-40 (loader, libraries, locale, if, of)"
if grep -q "probe create: raw_tp" "$ERR"; then
	[ "$c" -eq 1 ] || fail "CREATE total $c, expected 1 (the O_CREAT open of of=)"
fi

start vfsstat -p 1 1
wait_ready
"$TMPD/$NAME" if="$TMPD/src" of="$TMPD/dst" bs=1 2>/dev/null
sleep 1.2
stop
w=$(sum 3)
[ "$w" -lt 500 ] || fail "-p 1 counted $w writes: dd's 500 writes leaked through the filter"
pass

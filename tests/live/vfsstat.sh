#!/bin/sh
# vfsstat: fileops named after the marker (--comm) copies 500 one-byte blocks into a new file
# and fsyncs it: the columns, summed over the 1-second rows, must show 500 reads (501 with the
# one at EOF) and writes, one fsync, two opens and (fallback) the O_CREAT open as a create. -p of another process counts none of it.
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(echo "$MARKER" | cut -c1-15)
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
head -c 500 /dev/urandom >"$TMPD/src"

# sum COLUMN: the column's total over the rows (the rates are per second, intervals 1 s).
sum() { awk -v c="$1" '$1 ~ /^[0-9:]+:$/ { s += $c } END { print s + 0 }' "$OUT"; }

start vfsstat --comm "$NAME" 1
wait_ready
"$TMPD/$NAME" copy "$TMPD/src" "$TMPD/dst" 1 fsync
sleep 1.2
stop
expect_header "TIME         READ/s  WRITE/s  FSYNC/s   OPEN/s CREATE/s"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}: +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$"
r=$(sum 2); w=$(sum 3); f=$(sum 4); o=$(sum 5); c=$(sum 6)
[ "$r" -eq 501 ] || fail "READ total $r, expected 501"
[ "$w" -eq 500 ] || fail "WRITE total $w, expected 500"
[ "$f" -eq 1 ] || fail "FSYNC total $f, expected 1"
[ "$o" -eq 2 ] || fail "OPEN total $o, expected 2"
if grep -q "probe create: raw_tp" "$ERR"; then
	[ "$c" -eq 1 ] || fail "CREATE total $c, expected 1 (the O_CREAT open of of=)"
fi

start vfsstat -p 1 1
wait_ready
"$TMPD/$NAME" copy "$TMPD/src" "$TMPD/dst" 1
sleep 1.2
stop
w=$(sum 3)
[ "$w" -lt 500 ] || fail "-p 1 counted $w writes: the 500 writes leaked through the filter"
pass

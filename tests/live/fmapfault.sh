#!/bin/sh
# fmapfault: a marker-named fileops maps 24 pages of a marker file on ext4 shared and writable
# and writes a byte to each (a shared write fault always calls the file system's fault handler,
# filemap_fault, never the fault-around): --comm keeps one row, 24 faults on the marker file
# within 4 (6.18 maps a page of a two-page folio with its neighbour's fault: 23; a fault retried
# after dropping its lock counts twice: 25), in the book's columns (comm, count, file). Another
# file's faults by another name do not show.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
need_workload fileops
fs_dir ext4
NAME=$(printf '%.15s' "mf$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
head -c $((24 * 4096)) /dev/zero >"$FSDIR/$MARKER"
head -c $((4 * 4096)) /dev/zero >"$FSDIR/other-$MARKER"
start fmapfault --comm "$NAME"
wait_ready
"$TMPD/$NAME" fault "$FSDIR/$MARKER" 24 || fail "workload failed"
"$WORKLOADS/fileops" fault "$FSDIR/other-$MARKER" 4 || fail "workload failed"
sleep 0.3
stop
expect_header "COMM                COUNT FILE"
expect "^$NAME +[0-9]+ $MARKER$"
n=$(awk -v f="$MARKER" '$NF == f { print $2 }' "$OUT")
[ "$n" -ge 20 ] && [ "$n" -le 28 ] || fail "expected 24 faults (within 4) on the marker file, got $n"
expect_not "other-$MARKER"
[ "$(grep -c "$MARKER" "$OUT")" -eq 1 ] || fail "expected one row for the marker file"
pass

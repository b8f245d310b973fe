#!/bin/sh
# fsrwstat: a marker-named fileops writes a file on ext4 4 times and reads it back 512 bytes at a
# time (4 reads and one at the end): summed over the one-second intervals, --comm shows ext4
# vfs_write 4 and ext4 vfs_read 5, each interval under its time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
need_workload fileops
fs_dir ext4
NAME=$(printf '%.15s' "fr$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
start fsrwstat --comm "$NAME"
wait_ready
"$TMPD/$NAME" write "$FSDIR/$MARKER" 512 4 || fail "workload write failed"
"$TMPD/$NAME" read "$FSDIR/$MARKER" 512 || fail "workload read failed"
sleep 1.2
stop
expect_header "FS               FUNC          COUNT"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"
sum() { awk -v f="$1" '$1 == "ext4" && $2 == f { s += $3 } END { print s + 0 }' "$OUT"; }
[ "$(sum vfs_write)" -eq 4 ] || fail "ext4 vfs_write $(sum vfs_write), expected 4"
[ "$(sum vfs_read)" -eq 5 ] || fail "ext4 vfs_read $(sum vfs_read), expected 5"
pass

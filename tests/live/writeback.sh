#!/bin/sh
# writeback: 2 MB written to a marker file, then sync: at least one writeback with reason "sync"
# on that file system's device (its MAJ:MIN, the backing device's name), in the book's columns.
# The file is on ext4 (a loop-mounted image where the test directory is tmpfs, which has no
# writeback).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
fs_dir ext4
start writeback
wait_ready
head -c 2097152 /dev/urandom >"$FSDIR/$MARKER"
sync
sleep 0.5
stop
expect "^Tracing writeback\\.\\.\\. Hit Ctrl-C to end\\.$"
expect_header "TIME      DEVICE   PAGES    REASON           ms"
DEV=$(stat -c '%Hd:%Ld' "$FSDIR" 2>/dev/null)
case $DEV in
*[0-9]:[0-9]*) expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}  $DEV +[0-9]+ +sync +[0-9]+\\.[0-9]{3}$" ;;
*) expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}  [^ ]+ +[0-9]+ +sync +[0-9]+\\.[0-9]{3}$" ;;
esac
pass

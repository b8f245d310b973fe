#!/bin/sh
# filetop: dd reads a 300 KiB marker file in 300 reads of 1 KiB and writes a copy in 300 writes;
# both rows must show exactly those calls and KiB (the requested bytes at vfs_read/vfs_write and
# the transferred bytes at sys_exit are the same here). Then -s, -r, -a (a FIFO's 'O' row), -p,
# non-interactive output into a file (no escape sequences) and a bad -s.
. "$(dirname "$0")/lib.sh"
SRC="$TMPD/${MARKER}r"
DST="$TMPD/${MARKER}w"
head -c 307200 /dev/urandom >"$SRC"

start filetop -C -r 10000 1
wait_ready
dd if="$SRC" of="$DST" bs=1024 count=300 2>/dev/null
sleep 1.5
stop
expect_header "TID     COMM             READS  WRITES R_Kb    W_Kb    T FILE"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} loadavg: [0-9.]+ "
expect "^[0-9]+ +dd +300 +0 +300 +0 +R ${MARKER}r$"
expect "^[0-9]+ +dd +0 +300 +0 +300 +R ${MARKER}w$"
! grep -q "$(printf '\033')" "$OUT" || fail "escape sequences in output to a file"
expect "^Detaching...$"

# -s wbytes -r 1 (dd only): only the writer's row; -p of another process: nothing of dd.
start filetop -C -s wbytes -r 1 -p 1 1
wait_ready
dd if="$SRC" of="$DST" bs=1024 count=300 2>/dev/null
sleep 1.2
stop
expect_not "$MARKER"
start filetop -C -s wbytes -r 1 --comm dd 1
wait_ready
dd if="$SRC" of="$DST" bs=4096 count=75 2>/dev/null
sleep 1.2
stop
expect "^[0-9]+ +dd +0 +75 +0 +300 +R ${MARKER}w$"
expect_not "${MARKER}r$"

# -a: a FIFO written and read is an 'O' row; without -a it is not shown.
mkfifo "$TMPD/${MARKER}f"
start filetop -C -a -r 10000 1
wait_ready
( dd if="$TMPD/${MARKER}f" of=/dev/null bs=1024 count=4 iflag=fullblock 2>/dev/null & \
  dd if="$SRC" of="$TMPD/${MARKER}f" bs=1024 count=4 2>/dev/null; wait )
sleep 1.2
stop
expect "^[0-9]+ +dd +0 +4 +0 +4 +O ${MARKER}f$"

# Bad sort key: one line, exit 2.
"$BCCT" filetop -s nope 2>"$ERR" >"$OUT"; rc=$?
[ "$rc" -eq 2 ] || fail "bad -s exited $rc, expected 2"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "bad -s printed more than one line"
expect_err "invalid choice 'nope'"
pass

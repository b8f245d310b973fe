#!/bin/sh
# filetop: fileops named after the marker copies a 300 KiB marker file in 1 KiB reads and writes:
# its rows must show exactly 301 reads (the last at EOF) and 300 writes, and the file's 300 KiB
# read and written (at vfs_read, the bytes asked for: the EOF read adds 1 KiB). Then -s and -r,
# -p, -a (a FIFO's 'O' rows), output into a file (no escape sequences) and a bad -s.
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(echo "$MARKER" | cut -c1-15)
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
SRC="$TMPD/${MARKER}r"
DST="$TMPD/${MARKER}w"
head -c 307200 /dev/urandom >"$SRC"

# One 5 s interval that ends the run: the copy is counted in a single interval even where it
# takes seconds (an emulated guest), since a count made while an interval's rows are read and
# cleared is lost (as in BCC).
start filetop -C -r 10000 5 1
wait_ready
"$TMPD/$NAME" copy "$SRC" "$DST" 1024
wait_exit 30
RKB=300
grep -q "probe read: raw_tp" "$ERR" || RKB=301
expect_header "TID     COMM             READS  WRITES R_Kb    W_Kb    T FILE"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} loadavg: [0-9.]+ "
expect "^[0-9]+ +$NAME +301 +0 +$RKB +0 +R ${MARKER}r$"
expect "^[0-9]+ +$NAME +0 +300 +0 +300 +R ${MARKER}w$"
! grep -q "$(printf '\033')" "$OUT" || fail "escape sequences in output to a file"
expect "^Detaching...$"

# -p of another process: nothing of the workload.
start filetop -C -p 1 1
wait_ready
"$TMPD/$NAME" copy "$SRC" "$DST" 1024
sleep 1.2
stop
expect_not "$MARKER"
# -s wbytes -r 1 (the workload only): the writer's row alone.
start filetop -C -s wbytes -r 1 --comm "$NAME" 1
wait_ready
"$TMPD/$NAME" copy "$SRC" "$DST" 4096
sleep 1.2
stop
expect "^[0-9]+ +$NAME +0 +75 +0 +300 +R ${MARKER}w$"
expect_not "${MARKER}r$"

# -a: a FIFO written and read shows as 'O' rows; without -a it is not shown.
mkfifo "$TMPD/${MARKER}f"
head -c 4096 /dev/urandom >"$SRC"
start filetop -C -a --comm "$NAME" 1
wait_ready
"$TMPD/$NAME" read "$TMPD/${MARKER}f" 1024 &
RPID=$!
"$TMPD/$NAME" copy "$SRC" "$TMPD/${MARKER}f" 1024
wait "$RPID"
sleep 1.2
stop
expect "^[0-9]+ +$NAME +0 +4 +0 +4 +O ${MARKER}f$"
expect "^[0-9]+ +$NAME +[0-9]+ +0 +[45] +0 +O ${MARKER}f$"   # + the EOF read asked for at vfs_read

# Bad sort key: one line, exit 2.
"$BCCT" filetop -s nope 2>"$ERR" >"$OUT"; rc=$?
[ "$rc" -eq 2 ] || fail "bad -s exited $rc, expected 2"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "bad -s printed more than one line"
expect_err "invalid choice 'nope'"
pass

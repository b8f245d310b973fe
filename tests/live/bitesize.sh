#!/bin/sh
# bitesize: a workload named after the marker makes 30 direct reads of 4 KiB and 20 of 64 KiB
# from a loop device without an I/O scheduler; its section ("Process Name = <marker>") must
# hold exactly those counts in the 4 -> 7 and 64 -> 127 Kbytes buckets. Reads, not writes: the
# section is the task current at block_rq_issue (BCC's), and on 5.10 and 6.1 kblockd's worker
# issues a block device's direct writes (biosnoop_dio.c says why). -c keeps only that name and
# -d only that disk (a dd to another file beside it is not shown); -T stamps each interval.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"

COMM=$(printf '%.15s' "$MARKER")
DIO="$TMPD/$COMM"
cp "$WORKLOADS/biosnoop_dio" "$DIO"
setup_disk loop   # no file system: its metadata I/O would count in the marker's name
no_scheduler
# section NAME: the histogram lines of that process's section
section() { awk -v s="Process Name = $1" '$0 == s { on = 1; next } /^Process Name = / { on = 0 } on' "$OUT"; }
bucket() { section "$COMM" | awk -v lo="$1" '$1 == lo && $2 == "->" { print $5 + 0; f = 1 } END { if (!f) print 0 }'; }

start bitesize
wait_ready
"$DIO" -r "$TARGET" 30 4096 || fail "the 4 KiB reads failed"
"$DIO" -r "$TARGET" 20 65536 || fail "the 64 KiB reads failed"
sleep 0.5
stop
expect "^Tracing block I/O\.\.\. Hit Ctrl-C to end\.$"
expect "^Process Name = $COMM$"
expect "^ +Kbytes +: count +distribution$"
[ "$(bucket 4)" -eq 30 ] || fail "expected 30 requests of 4 -> 7 Kbytes, got $(bucket 4)"
[ "$(bucket 64)" -eq 20 ] || fail "expected 20 requests of 64 -> 127 Kbytes, got $(bucket 64)"

start bitesize -c "$COMM"
wait_ready
dd if=/dev/zero of="$TMPD/other" bs=4096 count=8 oflag=direct 2>/dev/null
"$DIO" -r "$TARGET" 10 8192 || fail "the 8 KiB reads failed"
sleep 0.5
stop
[ "$(bucket 8)" -eq 10 ] || fail "-c: expected 10 requests of 8 -> 15 Kbytes, got $(bucket 8)"
[ "$(grep -c '^Process Name = ' "$OUT")" -eq 1 ] || fail "-c $COMM showed other processes"

# -d: only the loop device's requests (the marker's), not the other disk's (the dd, the loop
# driver's own I/O to its backing file).
start bitesize -d "$DISK"
wait_ready
dd if=/dev/zero of="$TMPD/other" bs=4096 count=8 oflag=direct 2>/dev/null
"$DIO" -r "$TARGET" 12 16384 || fail "the 16 KiB reads failed"
sleep 0.5
stop
[ "$(bucket 16)" -eq 12 ] || fail "-d: expected 12 requests of 16 -> 31 Kbytes, got $(bucket 16)"
# (kblockd's workers may issue some of the loop device's requests, a flush among them: they may
# show; the dd's requests to the other disk may not.)
expect_not "^Process Name = dd$"

# Interval mode with -T: a time line before each interval's sections.
start bitesize -T 1 2
wait_exit 20
[ "$(grep -Ec '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' "$OUT")" -eq 2 ] || fail "expected 2 timestamp lines"
pass "per-process buckets exact, -c, -d, -T interval"

#!/bin/sh
# iosched: a loop device with the mq-deadline scheduler gets 30 direct 4 KiB writes; each passes
# through the scheduler, so "Elevator = mq-deadline" counts 30 requests (the usecs buckets summed);
# with the scheduler "none" nothing is inserted and nothing shown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"
setup_disk loop
SCHED=/sys/block/$DISK/queue/scheduler
grep -q mq-deadline "$SCHED" 2>/dev/null || skip "no mq-deadline scheduler for $DISK"
echo mq-deadline >"$SCHED" || skip "cannot set mq-deadline on $DISK"
total() { awk '/^Elevator = mq-deadline$/ { on = 1; next } /^Elevator = / { on = 0 } on && $2 == "->" { n += $5 } END { print n + 0 }' "$OUT"; }

start iosched -d "$DISK"
wait_ready
dd if=/dev/zero of="$TARGET" bs=4096 count=30 oflag=direct conv=notrunc 2>/dev/null || fail "dd failed"
sleep 0.5
stop
expect "^Tracing block I/O schedulers\. Hit Ctrl-C to end\.$"
expect "^ +usecs +: count +distribution$"
[ "$(total)" -eq 30 ] || fail "expected 30 requests through mq-deadline, got $(total)"

echo none >"$SCHED"
start iosched -d "$DISK"
wait_ready
dd if=/dev/zero of="$TARGET" bs=4096 count=10 oflag=direct conv=notrunc 2>/dev/null || fail "dd failed"
sleep 0.5
stop
expect_not "^Elevator = "
pass

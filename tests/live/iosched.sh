#!/bin/sh
# iosched: a disk with the mq-deadline scheduler gets 30 direct 4 KiB reads; each passes through
# the scheduler, so "Elevator = mq-deadline" counts 30 requests (the usecs buckets summed); with
# the scheduler "none" nothing waits in a scheduler and nothing is shown. The disk is a loop
# device; 5.10's take no scheduler ("[none]" alone), so in a VM guest (BCCT_VM) its blank
# scratch disk (tests/vm/matrix: nvme0n1, sda) serves instead. Reads, which change nothing on it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"
setup_disk loop
SCHED=/sys/block/$DISK/queue/scheduler
if ! grep -q mq-deadline "$SCHED" 2>/dev/null && [ -n "${BCCT_VM:-}" ]; then
	for d in nvme0n1 sda; do
		grep -q mq-deadline "/sys/block/$d/queue/scheduler" 2>/dev/null && [ -b "/dev/$d" ] &&
			{ DISK=$d TARGET=/dev/$d SCHED=/sys/block/$d/queue/scheduler; break; }
	done
fi
grep -q mq-deadline "$SCHED" 2>/dev/null || skip "no mq-deadline scheduler for $DISK ($(cat "$SCHED" 2>/dev/null))"
WAS=$(sed 's/.*\[\(.*\)\].*/\1/' "$SCHED")
trap 'echo "$WAS" >"$SCHED" 2>/dev/null; cleanup' EXIT
echo mq-deadline >"$SCHED" || skip "cannot set mq-deadline on $DISK"
total() { awk '/^Elevator = mq-deadline$/ { on = 1; next } /^Elevator = / { on = 0 } on && $2 == "->" { n += $5 } END { print n + 0 }' "$OUT"; }
reads() { dd if="$TARGET" of=/dev/null bs=4096 count="$1" iflag=direct 2>/dev/null || fail "dd failed"; }

start iosched -d "$DISK"
wait_ready
reads 30
sleep 0.5
stop
expect "^Tracing block I/O schedulers\. Hit Ctrl-C to end\.$"
expect "^ +usecs +: count +distribution$"
[ "$(total)" -eq 30 ] || fail "expected 30 requests through mq-deadline, got $(total)"

echo none >"$SCHED"
start iosched -d "$DISK"
wait_ready
reads 10
sleep 0.5
stop
expect_not "^Elevator = "
pass "30 reads through mq-deadline on $DISK, none shown without it"

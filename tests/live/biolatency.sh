#!/bin/sh
# biolatency: 200 direct 4 KiB writes by a marker-named workload to the disk under the test
# directory (a loop device over a file where that is not a disk, as on the VM's tmpfs). -D must
# show that disk's section holding at least those 200 I/Os; -F -m -d DISK must file them under a
# Write flags section in milliseconds; -Q -e must print the average line counting them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"

DIO="$TMPD/$(printf '%.15s' "$MARKER")"
cp "$WORKLOADS/biosnoop_dio" "$DIO"
# Sum of the histogram counts printed after the line matching $1 (to the next blank line).
count_after() {
	awk -v sec="$1" '$0 ~ sec { s = 1; next } /^$/ { s = 0 } s && / -> / { n += $5 }
		END { print n + 0 }' "$OUT"
}

# trace ARGS...: biolatency with ARGS around 200 direct writes.
trace() {
	start biolatency "$@"
	wait_ready
	"$DIO" "$TARGET" 200 || fail "the direct-I/O workload failed"
	sleep 0.5
	stop
}

setup_disk

trace -D
expect_header "Tracing block device I/O... Hit Ctrl-C to end."
expect_header "     usecs               : count     distribution"
expect "^disk = $DISK$"
n=$(count_after "^disk = $DISK$")
[ "$n" -ge 150 ] || fail "disk = $DISK counted $n I/Os, expected at least 150 of the 200 (the block layer may merge a few)"

trace -F -m -d "$DISK"
expect_header "     msecs               : count     distribution"
n=$(count_after "^flags = ([A-Za-z]+-)*Write$")
[ "$n" -ge 150 ] || fail "Write flags sections counted $n I/Os, expected at least 150 of the 200 (the block layer may merge a few)"

trace -Q -e
expect "^avg = [0-9]+ usecs, total: [0-9]+ usecs, count: [0-9]+$"
n=$(sed -n 's/^avg = .*count: \([0-9]*\)$/\1/p' "$OUT")
[ "$n" -ge 150 ] || fail "-e counted $n I/Os, expected at least 150 of the 200 (the block layer may merge a few)"
pass

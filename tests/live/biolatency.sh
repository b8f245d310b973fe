#!/bin/sh
# biolatency: 200 direct 4 KiB writes by a marker-named workload to the disk under the test
# directory (a loop device over a file where that is not a disk, as on the VM's tmpfs). -D must
# show that disk's section holding at least those 200 I/Os; -F -m -d DISK must file them under a
# Write flags section in milliseconds; -Q -e must print the average line counting them.
. "$(dirname "$0")/lib.sh"
need_workload biosnoop_dio

DIO="$TMPD/$(printf '%.15s' "$MARKER")"
cp "$WORKLOADS/biosnoop_dio" "$DIO"
LOOP=
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	rm -rf "$TMPD"
}

# DISK (name) and TARGET (file or device written with O_DIRECT).
setup_disk() {
	d=$(stat -c %d "$TMPD")
	sys=/sys/dev/block/$((d >> 8 & 0xfff)):$(((d & 0xff) | (d >> 12 & 0xfff00)))
	if [ -e "$sys/uevent" ]; then
		[ -e "$sys/partition" ] && sys="$sys/.."
		DISK=$(sed -n 's/^DEVNAME=//p' "$sys/uevent")
		TARGET="$TMPD/data"
		return
	fi
	has_cmd losetup || skip "the test directory is not on a disk and there is no losetup"
	dd if=/dev/zero of="$TMPD/img" bs=1024k count=8 2>/dev/null
	LOOP=$(losetup -f 2>/dev/null) && losetup "$LOOP" "$TMPD/img" 2>/dev/null ||
		skip "the test directory is not on a disk and no loop device is free"
	DISK=${LOOP#/dev/}
	TARGET=$LOOP
}

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
[ -n "$DISK" ] || fail "cannot name the disk under $TMPD"

trace -D
expect_header "Tracing block device I/O... Hit Ctrl-C to end."
expect_header "     usecs               : count     distribution"
expect "^disk = $DISK$"
n=$(count_after "^disk = $DISK$")
[ "$n" -ge 200 ] || fail "disk = $DISK counted $n I/Os, expected at least 200"

trace -F -m -d "$DISK"
expect_header "     msecs               : count     distribution"
n=$(count_after "^flags = ([A-Za-z]+-)*Write$")
[ "$n" -ge 200 ] || fail "Write flags sections counted $n I/Os, expected at least 200"

trace -Q -e
expect "^avg = [0-9]+ usecs, total: [0-9]+ usecs, count: [0-9]+$"
n=$(sed -n 's/^avg = .*count: \([0-9]*\)$/\1/p' "$OUT")
[ "$n" -ge 200 ] || fail "-e counted $n I/Os, expected at least 200"
pass

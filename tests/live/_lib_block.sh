# Disk setup shared by the block I/O live tests (biolatency.sh, biosnoop.sh). Source it after
# lib.sh; it is not a test itself (tests/run and tests/vm/guest-run pass over names starting
# with "_"):
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/_lib_block.sh"
#   setup_disk                    # sets DISK and TARGET
#   setup_disk loop               # the same on a loop device: no file system in between
#   "$TMPD/writer" "$TARGET" 200  # the biosnoop_dio workload, copied under a marker name
#   no_scheduler                  # the disk's I/O scheduler set to none (see there)
#
# DISK is the kernel's name of the disk under the test directory, TARGET what to write there with
# O_DIRECT: a file in the test directory, or, where that is not on a disk (the VM's tmpfs), a
# loop device over a file in it, detached again on exit.
need_workload biosnoop_dio

LOOP=
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	rm -rf "$TMPD"
}

setup_disk() { # [loop]: a loop device even where the test directory is on a disk
	d=$(stat -c %d "$TMPD")
	[ "${1:-}" = loop ] && d=0
	# glibc's dev_t: major in bits 8-19, minor in bits 0-7 and 20-31
	sys=/sys/dev/block/$((d >> 8 & 0xfff)):$(((d & 0xff) | (d >> 12 & 0xfff00)))
	if [ -e "$sys/uevent" ]; then
		[ -e "$sys/partition" ] && sys="$sys/.."
		DISK=$(sed -n 's/^DEVNAME=//p' "$sys/uevent")
		TARGET="$TMPD/data"
	else
		has_cmd losetup || skip "no disk to use (loop wanted or none under the test directory) and no losetup"
		dd if=/dev/zero of="$TMPD/img" bs=1024k count=8 2>/dev/null
		LOOP=$(losetup -f 2>/dev/null) && losetup "$LOOP" "$TMPD/img" 2>/dev/null ||
			skip "no disk to use (loop wanted or none under the test directory) and no loop device is free"
		DISK=${LOOP#/dev/}
		TARGET=$LOOP
	fi
	[ -n "$DISK" ] || fail "cannot name the disk under $TMPD"
}

# no_scheduler: DISK's I/O scheduler set to none where it can be (loop's default on 5.10, 6.1
# and 6.18, but one may have been set). With a scheduler every request is queued and kblockd's
# worker issues it, so the tools that name the task current at issue (bitesize, seeksize) would
# never see the workload; without one, the workload's direct reads (biosnoop_dio -r) are issued
# by the workload itself.
no_scheduler() {
	s=/sys/block/$DISK/queue/scheduler
	[ -w "$s" ] && grep -q none "$s" && { echo none >"$s" || fail "cannot set $DISK's scheduler to none"; }
	:
}

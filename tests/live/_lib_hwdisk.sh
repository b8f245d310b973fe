# Disks only some machines have (SCSI, NVMe), for scsilatency.sh, scsiresult.sh and
# nvmelatency.sh. Source it after lib.sh; it is not a test itself.
#
#   hwdisk scsi_disk SCSI scsilatency   # sets HWDISK (sda), or checks the refusal and skips
#
# Without such a disk the applet must refuse at once: one line on stderr naming what is missing,
# exit 1, nothing on stdout; the test then skips, since nothing here can make those commands
# (the VM guests get an NVMe and a SCSI disk from qemu: tests/vm/matrix).

# hwdisk CLASS WHAT APPLET: CLASS is the sysfs class of the disks (scsi_disk, nvme), WHAT the
# name the refusal uses (SCSI, NVMe).
hwdisk() {
	HWDISK=
	for b in /sys/class/"$1"/*/device/block/* /sys/class/"$1"/*/nvme*n*; do
		[ -e "$b/dev" ] && [ -b "/dev/${b##*/}" ] && { HWDISK=${b##*/}; break; }
	done
	[ -n "$HWDISK" ] && return 0
	[ -d /sys/class/"$1" ] && [ -n "$(ls /sys/class/"$1")" ] &&
		skip "$2 devices but no disk node under /dev"
	"$BCCT" "$3" >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && [ ! -s "$OUT" ] ||
		fail "without a $2 device: exit $rc, want one line on stderr, nothing on stdout, exit 1"
	expect_err "^$3: no $2 devices"
	skip "no $2 disk here (the one-line refusal checked); the VM guests have one"
}

# hwdisk_read COUNT: COUNT direct 4 KiB reads of HWDISK, each one command to the device.
hwdisk_read() {
	dd if="/dev/$HWDISK" of=/dev/null bs=4096 count="$1" iflag=direct 2>/dev/null ||
		fail "dd could not read /dev/$HWDISK"
}

#!/bin/sh
# fsslower -t xfs / -t btrfs (and their aliases xfsslower, btrfsslower) on file systems made on
# loop devices: dd writes a marker file in four 4 KiB blocks with conv=fsync and reads it back;
# threshold 0 shows the open, the four writes at 0/4/8/12 KB, the fsync and the reads, in BCC's
# columns (btrfsslower's PID column is one wider). Other file systems' files never show.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
has_cmd dd || skip "no dd"

for fs in xfs btrfs; do
	fs_dir $fs
	F="$FSDIR/$MARKER"
	start ${fs}slower 0 --comm dd
	wait_ready
	dd if=/dev/zero of="$F" bs=4096 count=4 conv=fsync 2>/dev/null || fail "dd write on $fs failed"
	dd if="$F" of=/dev/null bs=4096 2>/dev/null || fail "dd read on $fs failed"
	dd if=/dev/zero of="$TMPD/other-$MARKER" bs=4096 count=1 2>/dev/null
	sleep 0.3
	stop
	case $fs in
	xfs) expect_header "Tracing XFS operations"
	     expect_header "TIME     COMM           PID    T BYTES   OFF_KB   LAT(ms) FILENAME" ;;
	btrfs) expect_header "Tracing btrfs operations"
	       expect_header "TIME     COMM           PID     T BYTES   OFF_KB   LAT(ms) FILENAME" ;;
	esac
	L="^[0-9]{2}:[0-9]{2}:[0-9]{2} dd +[0-9]+ +"
	expect "${L}O 0 +0 +[0-9]+\.[0-9]{2} $MARKER$"
	for off in 0 4 8 12; do
		expect "${L}W 4096 +$off +[0-9]+\.[0-9]{2} $MARKER$"
		expect "${L}R 4096 +$off +[0-9]+\.[0-9]{2} $MARKER$"
	done
	expect "${L}S 0 +0 +[0-9]+\.[0-9]{2} $MARKER$"
	expect_not "other-$MARKER"
done
pass "xfs and btrfs"

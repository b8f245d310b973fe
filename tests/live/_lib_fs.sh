# File systems for the file-system tool tests (ext4slower.sh, fsslower.sh, fsdist.sh). Source it
# after lib.sh; it is not a test itself.
#
#   fs_dir ext4      # sets FSDIR: a directory on an ext4 file system (the test directory when
#                    # it is on ext4, else a loop-mounted image made with mkfs.ext4 or busybox
#                    # mke2fs); xfs and btrfs always on a loop-mounted image (mkfs.xfs,
#                    # mkfs.btrfs from xfsprogs/btrfs-progs). Skips with the reason otherwise.
# Everything mounted is unmounted and every loop device detached on exit.
FS_MOUNTS=
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	for m in $FS_MOUNTS; do umount "$m" 2>/dev/null; done   # loop devices autoclear
	rm -rf "$TMPD"
}

fs_type_of() { stat -f -c %T "$1" 2>/dev/null; }

fs_dir() {
	if [ "$1" = ext4 ] && [ "$(fs_type_of "$TMPD")" = ext2/ext3 ]; then
		FSDIR=$(cd "$TMPD" && pwd -P)
		return 0
	fi
	img="$TMPD/$1.img"
	FSDIR="$TMPD/$1"
	mkdir -p "$FSDIR"
	# xfs wants 300 MB; sparse, so it costs what is written.
	truncate -s 320M "$img" 2>/dev/null || dd if=/dev/zero of="$img" bs=1 count=0 seek=320M 2>/dev/null
	case $1 in
	ext4) if has_cmd mkfs.ext4; then mkfs.ext4 -q -F "$img" >/dev/null 2>&1
	      else mke2fs -F "$img" >/dev/null 2>&1; fi || skip "cannot make an ext4 file system" ;;
	xfs) has_cmd mkfs.xfs || skip "no mkfs.xfs (scripts/deps installs xfsprogs)"
	     mkfs.xfs -q -f "$img" >/dev/null 2>&1 || skip "mkfs.xfs failed" ;;
	btrfs) has_cmd mkfs.btrfs || skip "no mkfs.btrfs (scripts/deps installs btrfs-progs)"
	       mkfs.btrfs -q -f "$img" >/dev/null 2>&1 || skip "mkfs.btrfs failed" ;;
	esac
	grep -qw "$1" /proc/filesystems || skip "kernel has no $1"
	mount -t "$1" -o loop "$img" "$FSDIR" 2>/dev/null || skip "cannot loop-mount $1 (no loop device?)"
	FS_MOUNTS="$FSDIR $FS_MOUNTS"
	FSDIR=$(cd "$FSDIR" && pwd -P)
}

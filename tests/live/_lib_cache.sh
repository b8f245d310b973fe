# Page cache setup shared by cachestat.sh and cachetop.sh. Source it after lib.sh; not a test.
#
#   cache_data PAGES      # sets DATA: PAGES pages of random bytes that drop_caches evicts
#
# DATA is a file in the test directory, or, where that is tmpfs (the VM guests: shmem pages stay
# through drop_caches), a loop device over such a file: its buffered reads go through the block
# device's page cache, which drop_caches empties. The test's shell holds the device open (fd 8):
# the kernel drops a block device's page cache when its last opener closes it (blkdev_put ->
# kill_bdev), so without a holder every read of it would be a cold one. The loop device is
# closed and detached on exit.
LOOP=
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	if [ -n "$LOOP" ]; then
		exec 8<&-
		losetup -d "$LOOP" 2>/dev/null
	fi
	rm -rf "$TMPD"
}

cache_data() {
	head -c $(($1 * 4096)) /dev/urandom >"$TMPD/data"
	sync
	DATA=$TMPD/data
	case $(stat -f -c %T "$TMPD") in
	tmpfs|ramfs)
		has_cmd losetup || skip "the test directory is in memory and there is no losetup"
		LOOP=$(losetup -f 2>/dev/null) && losetup "$LOOP" "$TMPD/data" 2>/dev/null ||
			skip "the test directory is in memory and no loop device is free"
		exec 8<"$LOOP"
		DATA=$LOOP
		;;
	esac
}

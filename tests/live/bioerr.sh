#!/bin/sh
# bioerr: a loop device over a sparse 8 MiB file on a 1 MiB tmpfs: direct writes past what the
# tmpfs can hold fail in the loop driver (ENOSPC from the backing file), so their requests
# complete with an error. bioerr -d on that disk shows them: the loop's major,minor, a write's
# flags, the bytes of one request and a negative errno; the writes that fit show nothing.
. "$(dirname "$0")/lib.sh"
has_cmd losetup || skip "no losetup"
LOOP=
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	umount "$TMPD/small" 2>/dev/null
	rm -rf "$TMPD"
}
mkdir "$TMPD/small"
mount -t tmpfs -o size=1m "bioerr$MARKER" "$TMPD/small" || skip "cannot mount a tmpfs"
truncate -s 8M "$TMPD/small/img" || fail "truncate failed"
LOOP=$(losetup -f 2>/dev/null) && losetup "$LOOP" "$TMPD/small/img" 2>/dev/null ||
	skip "no loop device is free"
DISK=${LOOP#/dev/}
MAJMIN=$(cat "/sys/class/block/$DISK/dev")

start bioerr -d "$DISK"
wait_ready
dd if=/dev/zero of="$LOOP" bs=64k count=4 oflag=direct 2>/dev/null || fail "the writes that fit failed"
sleep 0.5
[ -z "$(grep -v '^Tracing' "$OUT")" ] || fail "errors shown for writes that succeeded"
dd if=/dev/zero of="$LOOP" bs=64k count=64 seek=16 oflag=direct 2>/dev/null &&
	fail "writes past the tmpfs's size did not fail"
sleep 0.5
stop
expect_header "Tracing block I/O errors. Hit Ctrl-C to end."
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} device: ${MAJMIN%:*},${MAJMIN#*:}, sector: [0-9]+, bytes: [0-9]+, flags: W[A-Z]*, error: -[0-9]+$"
pass

#!/bin/sh
# nfsslower and nfsdist (fsslower/fsdist -t nfs) on a real NFS client: a tmpfs exported by the
# kernel's NFS server and mounted over NFSv4 on 127.0.0.1 (the nfs_loopback workload; no NFS user
# space is needed, so the VM guests run it too). dd writes a marker file in four 4 KiB blocks with
# conv=fsync and reads it back: nfsslower 0 shows the writes at 0/4/8/12 KB, the fsync, the
# reader's open and its reads in BCC's columns; nfsdist -p on a reader shows BCC's "operation = read"
# histogram. A file elsewhere never shows.
# Where the kernel has no NFS server or client (this host's: no client), both applets must still
# attach and print BCC's headers: load-only, with the reason.
. "$(dirname "$0")/lib.sh"
has_cmd dd || skip "no dd"
has_cmd mkfifo || skip "no mkfifo"
need_workload nfs_loopback
EXPORT="$TMPD/export"
MNT="$TMPD/mnt"
NFS_UP=0
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	[ $NFS_UP = 1 ] && "$WORKLOADS/nfs_loopback" stop "$MNT"
	umount "$EXPORT" 2>/dev/null
	rm -rf "$TMPD"
}

headers_only() {
	for t in nfsslower nfsdist; do
		start $t
		wait_ready
		cat /etc/hostname >/dev/null
		stop
		grep -Eq "^$t: probe [a-z_]+: (fentry|kprobe|raw_tp|tracepoint)" "$ERR" ||
			fail "$t: -v names no attach method"
		case $t in
		nfsslower) expect_header "Tracing NFS operations that are slower than 10 ms... Ctrl-C to quit"
			   expect_header "TIME     COMM           PID    T BYTES   OFF_KB   LAT(ms) FILENAME"
			   [ "$(grep -Ec '^[0-9]{2}:[0-9]{2}:[0-9]{2} ' "$OUT")" -eq 0 ] ||
				fail "$t: events without an NFS mount" ;;
		nfsdist) expect_header "Tracing NFS operation latency... Hit Ctrl-C to end."
			 expect_not "operation = " ;;
		esac
	done
	load_only "attached and printed BCC's headers; $1"
}

# The page cache dropped so reads go to the NFS client's read path; the file looked up again
# (stat) so the open finds its dentry and calls nfs4_file_open, which BCC's open probe is on (an
# open that has to look the name up goes through ->atomic_open instead: no open event, in BCC too).
drop_caches_keep_dentry() {
	echo 3 >/proc/sys/vm/drop_caches
	ls -l "$1" >/dev/null || fail "stat $1 on NFS failed"
}

mkdir -p "$EXPORT" "$MNT"
mount -t tmpfs -o size=16m tmpfs "$EXPORT" 2>/dev/null || skip "cannot mount a tmpfs to export"
"$WORKLOADS/nfs_loopback" start "$EXPORT" "$MNT" 2>"$TMPD/nfs.err"
case $? in
0) NFS_UP=1 ;;
77) headers_only "$(sed 's/^nfs_loopback: //' "$TMPD/nfs.err")" ;;
*) fail "loopback NFS mount: $(cat "$TMPD/nfs.err")" ;;
esac
grep -q " $MNT nfs4 " /proc/mounts || fail "no nfs4 mount on $MNT"

# nfsslower: every operation at threshold 0, only dd's.
F="$MNT/$MARKER"
start nfsslower 0
wait_ready
dd if=/dev/zero of="$F" bs=4096 count=4 conv=fsync 2>/dev/null || fail "dd write on NFS failed"
drop_caches_keep_dentry "$F"
dd if="$F" of=/dev/null bs=4096 2>/dev/null || fail "dd read on NFS failed"
dd if=/dev/zero of="$TMPD/other-$MARKER" bs=4096 count=1 2>/dev/null
sleep 0.3
stop
expect_header "Tracing NFS operations... Ctrl-C to quit"
expect_header "TIME     COMM           PID    T BYTES   OFF_KB   LAT(ms) FILENAME"
L="^[0-9]{2}:[0-9]{2}:[0-9]{2} dd +[0-9]+ +"
expect "${L}O 0 +0 +[0-9]+\.[0-9]{2} $MARKER$"   # the reader's
for off in 0 4 8 12; do
	expect "${L}W 4096 +$off +[0-9]+\.[0-9]{2} $MARKER$"
done
expect "${L}S 0 +0 +[0-9]+\.[0-9]{2} $MARKER$"
expect "${L}R [0-9]+ +0 +[0-9]+\.[0-9]{2} $MARKER$"
expect_not "other-$MARKER"
slower_methods=$(methods)

# nfsdist -p: a reader released through a fifo once the applet is attached.
rm -f "$TMPD/gate"; mkfifo "$TMPD/gate"
drop_caches_keep_dentry "$F"
sh -c 'read x <"$1"; exec dd if="$2" of=/dev/null bs=1024 2>/dev/null' sh "$TMPD/gate" "$F" &
WPID=$!
start nfsdist -p $WPID
wait_ready
echo go >"$TMPD/gate"
wait $WPID || fail "dd read on NFS failed"
sleep 0.3
stop
expect_header "Tracing NFS operation latency... Hit Ctrl-C to end."
expect "^operation = read$"
expect "^operation = open$"
expect_not "^operation = write$"
n=$(awk '$0 == "operation = read" { on = 1; next } /^operation = / { on = 0 }
	on && $2 == "->" { n += $5 } END { print n + 0 }' "$OUT")
[ "$n" -ge 16 ] || fail "nfsdist: expected at least 16 reads of 1 KiB, histogram has $n"
echo "$slower_methods"
pass "nfsslower and nfsdist on a loopback NFSv4 mount"

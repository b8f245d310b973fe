#!/bin/sh
# nfsslower, nfsdist, zfsslower, zfsdist (fsslower/fsdist -t nfs|zfs): load-only. No test machine
# can mount either: this host's kernel has no NFS client, the Debian guests' initramfs has no
# NFS server user space (rpc.nfsd, exportfs, mountd), and Debian ships ZFS only as an out-of-tree
# DKMS module. Each applet must still choose its probes (-v names the method), attach and print
# BCC's banner and header, and end on SIGINT; with no file of that type, no event may appear.
. "$(dirname "$0")/lib.sh"
for t in nfsslower nfsdist zfsslower zfsdist; do
	start $t
	wait_ready
	cat /etc/hostname >/dev/null
	stop
	grep -Eq "^$t: probe [a-z_]+: (fentry|kprobe|raw_tp|tracepoint)" "$ERR" ||
		fail "$t: -v names no attach method"
	case $t in
	nfsslower) expect_header "Tracing NFS operations that are slower than 10 ms... Ctrl-C to quit"
		   expect_header "TIME     COMM           PID    T BYTES   OFF_KB   LAT(ms) FILENAME" ;;
	zfsslower) expect_header "Tracing ZFS operations slower than 10 ms"
		   expect_header "TIME     COMM           PID    T BYTES   OFF_KB   LAT(ms) FILENAME" ;;
	nfsdist) expect_header "Tracing NFS operation latency... Hit Ctrl-C to end." ;;
	zfsdist) expect_header "Tracing ZFS operation latency... Hit Ctrl-C to end." ;;
	esac
	case $t in
	*slower) [ "$(grep -Ec '^[0-9]{2}:[0-9]{2}:[0-9]{2} ' "$OUT")" -eq 0 ] || fail "$t: events without such a file system" ;;
	*dist) expect_not "operation = " ;;
	esac
done
grep -qw nfs /proc/filesystems && nfs="an NFS client but no server to mount" || nfs="no NFS client"
load_only "attached and printed BCC's headers; no NFS or ZFS mount can be made here ($nfs; ZFS is out of tree)"

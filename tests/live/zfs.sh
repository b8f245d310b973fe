#!/bin/sh
# zfsslower, zfsdist (fsslower/fsdist -t zfs): load-only. Debian ships ZFS only as an out-of-tree
# DKMS module, so no test machine here or in the VM guests can mount one. Each applet must still
# choose its probes (-v names the method), attach, print BCC's banner and header, and end on
# SIGINT; with no ZFS file, no event may appear.
. "$(dirname "$0")/lib.sh"
for t in zfsslower zfsdist; do
	start $t
	wait_ready
	cat /etc/hostname >/dev/null
	stop
	grep -Eq "^$t: probe [a-z_]+: (fentry|kprobe|raw_tp|tracepoint)" "$ERR" ||
		fail "$t: -v names no attach method"
	case $t in
	zfsslower) expect_header "Tracing ZFS operations slower than 10 ms"
		   expect_header "TIME     COMM           PID    T BYTES   OFF_KB   LAT(ms) FILENAME"
		   [ "$(grep -Ec '^[0-9]{2}:[0-9]{2}:[0-9]{2} ' "$OUT")" -eq 0 ] ||
			fail "$t: events without a ZFS file system" ;;
	zfsdist) expect_header "Tracing ZFS operation latency... Hit Ctrl-C to end."
		 expect_not "operation = " ;;
	esac
done
load_only "attached and printed BCC's headers; ZFS is out of tree in Debian, no mount can be made"

#!/bin/sh
# biosnoop: a workload named after the marker makes direct 4 KiB writes to the disk under the
# test directory (a loop device over a file where that is not a disk, as on the VM's tmpfs).
# Each must be one line naming that process (comm and PID), the disk, "W" and 4096 bytes, with
# -Q's queue column; -d DISK -P must keep only that disk and mark the consecutive writes "S".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"

COMM=$(printf '%.14s' "$MARKER")    # BCC prints 14 characters of comm
DIO="$TMPD/$COMM"
cp "$WORKLOADS/biosnoop_dio" "$DIO"
# trace ARGS...: biosnoop with ARGS around 50 direct writes; the writer's PID in DPID.
trace() {
	start biosnoop "$@"
	wait_ready
	"$DIO" "$TARGET" 50 &
	DPID=$!
	wait "$DPID" || fail "the direct-I/O workload failed"
	sleep 0.5
	stop
}

setup_disk

trace -Q
expect_header "TIME(s)     COMM           PID     DISK      T SECTOR     BYTES  QUE(ms) LAT(ms)"
ms='[0-9]+\.[0-9]{2}'
expect "^[0-9]+\.[0-9]{6} +$COMM +$DPID +$DISK +W +[0-9]+ +4096 +$ms +$ms$"
n=$(grep -c " $COMM  *$DPID  *$DISK  *W .* 4096 " "$OUT")
[ "$n" -ge 50 ] || fail "$n of the 50 writes were traced"

trace -d "$DISK" -P
expect_header "TIME(s)     COMM           PID     DISK      T SECTOR     BYTES  P LAT(ms)"
expect "^[0-9.]+ +$COMM +$DPID +$DISK +W +[0-9]+ +4096 +S +[0-9]+\.[0-9]{2}$"
# DISK is the 9-wide column after "TIME(s) COMM PID " (35 characters); comms may hold spaces.
awk -v disk="$DISK" 'NR > 1 { d = substr($0, 36, 9); sub(/ +$/, "", d); if (d != disk) bad = 1 }
	END { exit bad }' "$OUT" ||
	fail "-d $DISK let other disks through"

# --comm selects the issuing task (the COMM column): only the marker's writes, none of the
# other I/O (a dd to the same disk under another name runs beside it).
start biosnoop --comm "$COMM"
wait_ready
dd if=/dev/zero of="$TARGET" bs=4096 count=20 seek=100 oflag=direct conv=notrunc 2>/dev/null
"$DIO" "$TARGET" 20 &
DPID=$!
wait "$DPID" || fail "the direct-I/O workload failed"
sleep 0.5
stop
n=$(grep -c " $COMM  *$DPID  *$DISK  *W .* 4096 " "$OUT")
[ "$n" -ge 20 ] || fail "--comm: $n of the 20 writes were traced"
[ "$(grep -c '^[0-9]' "$OUT")" -eq "$n" ] || fail "--comm let other tasks' I/O through"
pass "-Q, -d -P, --comm"

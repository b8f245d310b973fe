#!/bin/sh
# ext4slower (fsslower -t ext4): dd writes a marker file on ext4 in four 4 KiB blocks with
# conv=fsync, then reads it back; with threshold 0 every operation shows, in BCC's columns: the
# opens (O), four writes (W 4096 at 0, 4, 8, 12 KB), the fsync (S), four reads (R 4096) and the
# read at end of file (R 0 at 16 KB). -j prints BCC's CSV; a 10 s threshold shows nothing of it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
has_cmd dd || skip "no dd"
fs_dir ext4
F="$FSDIR/$MARKER"

start ext4slower 0
wait_ready
dd if=/dev/zero of="$F" bs=4096 count=4 conv=fsync 2>/dev/null || fail "dd write failed"
dd if="$F" of=/dev/null bs=4096 2>/dev/null || fail "dd read failed"
sleep 0.3
stop
expect_header "Tracing ext4 operations"
expect_header "TIME     COMM           PID    T BYTES   OFF_KB   LAT(ms) FILENAME"
L="^[0-9]{2}:[0-9]{2}:[0-9]{2} dd +[0-9]+ +"
expect "$L"'O 0 +0 +[0-9]+\.[0-9]{2} '"$MARKER$"
for off in 0 4 8 12; do
	expect "${L}W 4096 +$off +[0-9]+\.[0-9]{2} $MARKER$"
	expect "${L}R 4096 +$off +[0-9]+\.[0-9]{2} $MARKER$"
done
expect "${L}S 0 +0 +[0-9]+\.[0-9]{2} $MARKER$"     # BCC's fsync offset is 0
expect "${L}R 0 +16 +[0-9]+\.[0-9]{2} $MARKER$"
[ "$(grep -c " W .* $MARKER$" "$OUT")" -eq 4 ] || fail "expected exactly 4 writes"
# -v names each operation's method: ext4's own functions where fentry or kprobes work, else the
# syscall fallback, saying what it measures instead; `bcct features` and --help say it too.
if "$BCCT" features | grep -Eq '^(kprobe|fentry) +yes'; then
	expect_err 'probe read: (fentry|kprobe) (ext4_file_read_iter|generic_file_read_iter)$'
	expect_err 'probe fsync: (fentry|kprobe) ext4_sync_file$'
else
	expect_err 'probe read: syscalls \(fallback: the read syscalls on ext4 files, not ext4_file_read_iter'
	# One raw_tp program per syscall hook, dispatching on the number (Ctrl-C releases two
	# links, not 32 tracepoint events); without raw_tp, each syscall's tracepoints time the same.
	expect_err "probe sys_enter: raw_tp sys_enter"
	expect_err "probe sys_exit__pread64: covered by sys_exit"
	BCCT_DISABLE=raw_tp; export BCCT_DISABLE
	start ext4slower 0 --comm dd
	unset BCCT_DISABLE
	wait_ready
	dd if=/dev/zero of="$F.tp" bs=4096 count=2 conv=fsync 2>/dev/null || fail "dd write failed"
	dd if="$F.tp" of=/dev/null bs=4096 2>/dev/null || fail "dd read failed"
	sleep 0.3
	stop
	expect_err "probe sys_enter__write: tracepoint syscalls/sys_enter_write"
	expect_err "probe sys_exit__fsync: tracepoint syscalls/sys_exit_fsync"
	expect "$L"'O 0 +0 +[0-9]+\.[0-9]{2} '"$MARKER.tp$"
	for off in 0 4; do
		expect "${L}W 4096 +$off +[0-9]+\.[0-9]{2} $MARKER.tp$"
		expect "${L}R 4096 +$off +[0-9]+\.[0-9]{2} $MARKER.tp$"
	done
	expect "${L}S 0 +0 +[0-9]+\.[0-9]{2} $MARKER.tp$"
	"$BCCT" features | grep -q "^fsslower .*(fallback: the operations' syscalls for fds on the file system: syscall latency" ||
		fail "bcct features does not state fsslower's fallback"
fi
"$BCCT" --help fsslower | grep -q 'measures the syscall' || fail "--help does not describe the fallback"

start ext4slower -j 0 --comm dd
wait_ready
dd if="$F" of=/dev/null bs=8192 2>/dev/null || fail "dd read failed"
sleep 0.3
stop
expect_header "ENDTIME_us,TASK,PID,TYPE,BYTES,OFFSET_b,LATENCY_us,FILE"
expect "^[0-9]+,dd,[0-9]+,R,8192,0,[0-9]+,$MARKER$"
expect "^[0-9]+,dd,[0-9]+,R,8192,8192,[0-9]+,$MARKER$"

start ext4slower 10000
wait_ready
dd if="$F" of=/dev/null bs=4096 2>/dev/null
sleep 0.3
stop
expect_header "Tracing ext4 operations slower than 10000 ms"
expect_not "$MARKER"
pass

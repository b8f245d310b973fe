#!/bin/sh
# fileslower: with threshold 0, dd reading a 4-block marker file shows five reads of the 4096
# bytes it asks for (the last one finds the end), and dd writing one shows a 4096-byte write, in
# BCC's columns; a name longer than 32 characters is cut to 29 and "..." as BCC prints it; a FIFO
# read by dd does not show (not a regular file). With -a and 200 ms, a FIFO read made slow on
# purpose (its writer waits 0.5 s) shows with its latency (512 bytes asked), and the fast file
# reads do not.
. "$(dirname "$0")/lib.sh"
has_cmd dd || skip "no dd"
has_cmd mkfifo || skip "no mkfifo"
D=$(cd "$TMPD" && pwd -P)
dd if=/dev/zero of="$D/$MARKER" bs=4096 count=4 2>/dev/null
mkfifo "$D/fifo$MARKER"
LONG="long_name_of_forty_characters_$MARKER"

start fileslower 0 --comm dd
wait_ready
dd if="$D/$MARKER" of=/dev/null bs=4096 2>/dev/null || fail "dd read failed"
dd if=/dev/zero of="$D/w$MARKER" bs=4096 count=1 2>/dev/null || fail "dd write failed"
dd if=/dev/zero of="$D/$LONG" bs=100 count=1 2>/dev/null || fail "dd write failed"
(echo hello >"$D/fifo$MARKER") & WRITER=$!
dd if="$D/fifo$MARKER" of=/dev/null 2>/dev/null
wait "$WRITER"
sleep 0.3
stop
expect_header "Tracing sync read/writes slower than 0 ms"
expect_header "TIME(s)  COMM           TID    D BYTES   LAT(ms) FILENAME"
L='^[0-9]+\.[0-9]{3} +dd +[0-9]+ +'
[ "$(grep -Ec "${L}R 4096 +[0-9]+\.[0-9]{2} $MARKER$" "$OUT")" -eq 5 ] || fail "expected 5 reads of 4096 bytes"
CUT=$(printf '%.29s...' "$LONG")
expect "${L}W 100 +[0-9]+\.[0-9]{2} $CUT$"
expect "${L}W 4096 +[0-9]+\.[0-9]{2} w$MARKER$"
expect_not "fifo$MARKER"

start fileslower -a 200 --comm dd
wait_ready
# The writer opens at once (a FIFO's open waits for both ends), then writes 0.5 s later.
(exec 3>"$D/fifo$MARKER"; sleep 0.5; echo hello >&3) & WRITER=$!
dd if="$D/fifo$MARKER" of=/dev/null 2>/dev/null
wait "$WRITER"
dd if="$D/$MARKER" of=/dev/null bs=4096 2>/dev/null
sleep 0.3
stop
expect_header "Tracing sync read/writes slower than 200 ms"
expect "${L}R 512 +([2-9][0-9]{2}|[0-9]{4,})\.[0-9]{2} fifo$MARKER$"
expect_not " $MARKER$"
# Without kprobes the syscall fallback is said by -v and bcct features.
if ! "$BCCT" features | grep -Eq '^kprobe +yes'; then
	expect_err 'probe read: syscalls \(fallback: the read syscalls on vfs files, not vfs_read'
	# One raw_tp program per syscall hook (fsslower's, bpf/fsop.bpf.h), the tracepoints of
	# the four syscalls as its parts.
	expect_err "probe sys_enter: raw_tp sys_enter"
	expect_err "probe sys_exit__pwrite64: covered by sys_exit"
	"$BCCT" features | grep -q '^fileslower .*(fallback: the read/pread64/write/pwrite64 syscalls' ||
		fail "bcct features does not state fileslower's fallback"
fi
pass

#!/bin/sh
# biostacks: a workload named after the marker makes 20 direct 4 KiB writes to a loop device.
# With -d on that disk, its section must be "COMM PID DISK" (libbpf-tools' "%-14.14s %-6d %-7s"),
# then its kernel stack from the pwrite64 syscall down to the block layer, then a usecs histogram
# counting exactly the 20 writes. -m: the same in msecs. JSON: json.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"

COMM=$(printf '%.14s' "$MARKER")
DIO="$TMPD/$COMM"
cp "$WORKLOADS/biosnoop_dio" "$DIO"
setup_disk loop

# section PID: the workload's section (up to its blank line) into $TMPD/sec
section() {
	awk -v head="$(printf '%-14.14s %-6d %-7s' "$COMM" "$1" "$DISK")" '
		$0 == head { on = 1 } on { print } on && /^$/ { exit }' "$OUT" >"$TMPD/sec"
	[ -s "$TMPD/sec" ] || fail "no section '$COMM $1 $DISK'"
}
# Counts of the histogram lines ("  low -> high : count |...|").
hist_total() { awk -F'[:|]' '/ -> / { n += $2 } END { print n + 0 }' "$TMPD/sec"; }

for unit in usecs msecs; do
	[ "$unit" = msecs ] && set -- -m || set --
	start biostacks -d "$DISK" "$@"
	wait_ready
	"$DIO" "$TARGET" 20 &
	DPID=$!
	wait "$DPID" || fail "the direct-I/O workload failed"
	sleep 0.5
	stop
	expect "^Tracing block I/O with init stacks. Hit Ctrl-C to end.$"
	section "$DPID"
	grep -q "^ *$unit *: count *distribution$" "$TMPD/sec" || fail "no $unit histogram in the section"
	grep -Eq '^(__x64_sys|__arm64_sys|ksys)_p?write(64)?$' "$TMPD/sec" ||
		fail "the stack has no write or pwrite64 syscall frame: $(cat "$TMPD/sec")"
	grep -Eq '^(blk_account_io_start|blk_mq_submit_bio|submit_bio.*)$' "$TMPD/sec" ||
		fail "the stack has no block layer frame"
	n=$(hist_total)
	[ "$n" -eq 20 ] || fail "$unit: the histogram counts $n I/O, want the 20 writes"
	# -d: every section names the disk
X
done
pass "20 writes under their stack, usecs and msecs"

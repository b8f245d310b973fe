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
	# The stack is taken where the request is first seen: block_io_start (6.5+, in submit_bio),
	# else its insertion (5.10: blk_mq_insert_requests, from a plug flushed at io_schedule) or
	# its issue; a block layer function is on top either way.
	grep -Eq '^(blk_|submit_bio|__submit_bio)' "$TMPD/sec" ||
		fail "the stack has no block layer frame: $(cat "$TMPD/sec")"
	n=$(hist_total)
	[ "$n" -eq 20 ] || fail "$unit: the histogram counts $n I/O, want the 20 writes"
	# -d: every section's head ("%-14.14s %-6d %-7s") names the disk
	awk -v d="$DISK" 'substr($0, 15, 1) == " " && substr($0, 16, 6) ~ /^[0-9]+ *$/ {
		n++; if (substr($0, 23) !~ "^" d " *$") bad++ } END { exit !(n > 0 && !bad) }' "$OUT" ||
		fail "-d $DISK: a section of another disk, or none"
done
pass "20 writes under their stack, usecs and msecs"

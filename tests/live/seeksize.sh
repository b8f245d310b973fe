#!/bin/sh
# seeksize: on a loop device nothing else uses, without an I/O scheduler, the biosnoop_dio
# workload, named after the marker, reads one 4 KiB block (8 sectors) at blocks 0, 1000, 1001
# and 10, direct, one run each. After the first, the seeks are 8000 - 8 = 7992, 0 and
# |80 - 8016| = 7936 sectors. Its section ("Process Name = <marker>") holds 2 in 4096 -> 8191
# and 1 in 0 -> 1; -c keeps only that name. Its own workload, not dd: the guests' dd is
# busybox, which answers only to its applet names. Reads, not writes: the section is the task
# current at block_rq_issue, and on 5.10 and 6.1 kblockd's worker issues a block device's
# direct writes (biosnoop_dio.c says why).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_block.sh"
COMM=$(printf '%.15s' "$MARKER")
DIO="$TMPD/$COMM"
cp "$WORKLOADS/biosnoop_dio" "$DIO"
setup_disk loop
no_scheduler
section() { awk -v s="Process Name = $1" '$0 == s { on = 1; next } /^Process Name = / { on = 0 } on' "$OUT"; }
bucket() { section "$COMM" | awk -v lo="$1" '$1 == lo && $2 == "->" { print $5 + 0; f = 1 } END { if (!f) print 0 }'; }
reads() {
	for b in 0 1000 1001 10; do
		"$DIO" -r "$TARGET" 1 4096 "$b" || fail "the read at block $b failed"
	done
}

start seeksize -d "$DISK"
wait_ready
reads
sleep 0.5
stop
expect "^Tracing block I/O requested seeks\.\.\. Hit Ctrl-C to end\.$"
expect "^Process Name = $COMM$"
expect "^ +sectors +: count +distribution$"
[ "$(bucket 4096)" -eq 2 ] || fail "expected 2 seeks of 4096 -> 8191 sectors, got $(bucket 4096)"
[ "$(bucket 0)" -eq 1 ] || fail "expected 1 seek of 0 -> 1 sectors, got $(bucket 0)"

start seeksize -c "$COMM"
wait_ready
dd if=/dev/zero of="$TMPD/other" bs=4096 count=8 oflag=direct 2>/dev/null
reads
sleep 0.5
stop
[ "$(grep -c '^Process Name = ' "$OUT")" -eq 1 ] || fail "-c $COMM showed other processes"
[ "$(bucket 4096)" -ge 2 ] || fail "-c: expected the marker's seeks"
pass

#!/bin/sh
# overlayfs (fsdist -t overlay): an overlay mount over directories of the test's own; a shell
# waits on a fifo, then execs dd copying a 64-block marker file of the lower layer to a new file
# in the mount; overlayfs -p on that pid shows the book's read and write latency histograms
# ("operation = read": at least the 65 reads, "operation = write": the 64 writes). Where the
# kernel has no kprobes or fentry, -v names the fallback: the syscalls on overlay files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
has_cmd dd || skip "no dd"
has_cmd mkfifo || skip "no mkfifo"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
grep -qw overlay /proc/filesystems || skip "kernel has no overlay file system"

hist_total() {   # the counts of section $1's histogram, summed
	awk -v s="operation = $1" '$0 == s { on = 1; next } /^operation = / { on = 0 }
		on && $2 == "->" { n += $5 } END { print n + 0 }' "$OUT"
}

M="$TMPD/merged"
mkdir -p "$TMPD/lower" "$TMPD/upper" "$TMPD/work" "$M"
dd if=/dev/zero of="$TMPD/lower/$MARKER" bs=4096 count=64 2>/dev/null || fail "cannot write the lower file"
mount -t overlay overlay -o "lowerdir=$TMPD/lower,upperdir=$TMPD/upper,workdir=$TMPD/work" "$M" 2>/dev/null ||
	skip "cannot mount an overlay on $(fs_type_of "$TMPD")"
FS_MOUNTS="$M $FS_MOUNTS"
# By magic (OVERLAYFS_SUPER_MAGIC): the guests' stat has no name for it.
[ "$(stat -f -c %t "$M")" = 794c7630 ] || fail "$M is not an overlay: type $(stat -f -c %t "$M")"

mkfifo "$TMPD/gate"
sh -c 'read x <"$1"; exec dd if="$2" of="$3" bs=4096 2>/dev/null' sh "$TMPD/gate" "$M/$MARKER" \
	"$M/copy-$MARKER" &
WPID=$!
start overlayfs -p $WPID
wait_ready
echo go >"$TMPD/gate"
wait $WPID || fail "dd on the overlay failed"
sleep 0.3
stop
expect_header "Tracing overlayfs operation latency... Hit Ctrl-C to end."
expect_header "     usecs               : count     distribution"
expect "^operation = read$"
expect "^operation = write$"
n=$(hist_total read)
[ "$n" -ge 65 ] || fail "expected at least 65 reads, the read histogram has $n"
n=$(hist_total write)
[ "$n" -eq 64 ] || fail "expected 64 writes, the write histogram has $n"
if "$BCCT" features | grep -Eq '^(kprobe|fentry) +yes'; then
	expect_err 'probe read: (fentry|kprobe) ovl_read_iter$'
	expect_err 'probe write: (fentry|kprobe) ovl_write_iter$'
else
	expect_err 'probe read: syscalls \(fallback: the read syscalls on overlay files, not ovl_read_iter'
fi
pass

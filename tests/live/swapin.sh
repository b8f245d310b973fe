#!/bin/sh
# swapin: kprobes only (no tracepoint sees a swap-in). Without kprobes, one line naming them and
# exit 1. With them it attaches and prints its header with the time every second; then, where
# the test can make swap-ins, a marker-named memops writes 8192 anonymous pages (32 MiB) in a
# memory cgroup limited to 16 MiB and reads them back: with a 64 MiB swap area of the test's own
# (a file on a loop device, swapped off and removed at the end) the first pages written go out
# to swap and come back in, at least 1000 swap-ins counted under the marker. Without a way to
# make swap (no loop device, mkswap or swapon, no memory cgroup, v2 or v1) it is load-only,
# saying why.
. "$(dirname "$0")/lib.sh"
if [ "$(feature kprobe)" != yes ]; then
	no_method_test swapin
	pass "no kprobes: refused with one line"
fi
start swapin
wait_ready
sleep 1.3
stop
expect_header "COMM             PID     COUNT"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"

need_workload memops
SWAPDEV= CG=
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	[ -n "$SWAPDEV" ] && { swapoff "$SWAPDEV" 2>/dev/null; losetup -d "$SWAPDEV" 2>/dev/null; }
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	rm -rf "$TMPD"
}
no_swap() { load_only "swap-ins not made here: $1"; }
for c in losetup mkswap swapon swapoff; do
	command -v "$c" >/dev/null 2>&1 || no_swap "no $c"
done
# The loop device's writes to its backing file are charged to the root memory cgroup (the io
# controller stays off for ours), so the swap area's pages do not count against the limit.
dd if=/dev/zero of="$TMPD/swap.img" bs=1M count=64 2>/dev/null || no_swap "cannot write a 64 MiB file"
# the first free device, then bound: busybox's losetup has no --show
SWAPDEV=$(losetup -f 2>/dev/null) && [ -n "$SWAPDEV" ] || { SWAPDEV=; no_swap "no free loop device"; }
losetup "$SWAPDEV" "$TMPD/swap.img" 2>/dev/null || { SWAPDEV=; no_swap "losetup $SWAPDEV failed"; }
mkswap "$SWAPDEV" >/dev/null 2>&1 && swapon "$SWAPDEV" 2>/dev/null || no_swap "swapon $SWAPDEV failed"
if [ -w /sys/fs/cgroup/cgroup.subtree_control ] &&
   grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
	CG=/sys/fs/cgroup/bcct-swapin-$$
	mkdir "$CG" && echo 16M >"$CG/memory.max" || { CG=; no_swap "cannot make a cgroup v2 memory group"; }
	echo max >"$CG/memory.swap.max" 2>/dev/null
elif [ -w /sys/fs/cgroup/memory ]; then
	CG=/sys/fs/cgroup/memory/bcct-swapin-$$
	mkdir "$CG" && echo 16M >"$CG/memory.limit_in_bytes" || { CG=; no_swap "cannot make a cgroup v1 memory group"; }
else
	no_swap "no writable memory cgroup (v2 with the memory controller, or v1's memory hierarchy)"
fi

NAME=$(printf '%.15s' "sw$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start swapin -T
wait_ready
sh -c 'echo $$ >"$1" && exec "$2" swap 8192' sh "$CG/cgroup.procs" "$TMPD/$NAME" &
WPID=$!
wait "$WPID" || fail "workload failed (exit $?)"
sleep 1.2
stop
n=$(awk -v c="$NAME" -v p="$WPID" '$1 == c && $2 == p { s += $3 } END { print s + 0 }' "$OUT")
[ "$n" -ge 1000 ] || fail "swap-ins of $NAME ($WPID): $n, want >= 1000 (swap used: $(tail -n +2 /proc/swaps))"
pass "$n swap-ins"

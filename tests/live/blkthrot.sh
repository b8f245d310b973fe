#!/bin/sh
# blkthrot: blk_throtl_bio has no tracepoint, so a kernel without kprobes must be refused in one
# line, exit 1, nothing on stdout. With kprobes (the VM guests): a cgroup v2 group limited to 10
# write IOPS on a loop device gets 30 direct 4 KiB writes from a process inside it; blk-throttle
# must hold some back, so a row counts THROTTLED >= 1, and the group's bios are all counted
# (THROTTLED + NOT_THROTTLED >= 30 over the rows).
. "$(dirname "$0")/lib.sh"

if [ "$(feature kprobe)" != yes ]; then
	no_method_test blkthrot
	pass "refused in one line: no kprobes"
fi
. "$(dirname "$0")/_lib_block.sh"
grep -qs ' __blk_throtl_bio$\| blk_throtl_bio$' /proc/kallsyms || {
	"$BCCT" blkthrot >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "a kernel without blk-throttle: want one line and exit 1, got exit $rc"
	pass "refused in one line: the kernel has no blk-throttle"
}
CG=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$CG" ]; then
	CG=$TMPD/cg
	mkdir -p "$CG" && mount -t cgroup2 none "$CG" 2>/dev/null || skip "cannot mount cgroup2"
	CGMOUNT=$CG
fi
grep -qw io "$CG/cgroup.controllers" || skip "no io controller in cgroup v2"
echo +io >"$CG/cgroup.subtree_control" 2>/dev/null || skip "cannot enable the io controller"
GROUP=$CG/$MARKER
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	rmdir "$GROUP" 2>/dev/null
	[ -n "${CGMOUNT:-}" ] && umount "$CGMOUNT" 2>/dev/null
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	rm -rf "$TMPD"
}
setup_disk loop
mkdir "$GROUP" || fail "cannot create cgroup $GROUP"
echo "$(cat "/sys/block/$DISK/dev") wiops=10" >"$GROUP/io.max" || skip "cannot set io.max on $DISK"
counted() { awk '$1 ~ /^[0-9]+$/ { t += $2; a += $2 + $3 } END { print t + 0, a + 0 }' "$OUT"; }

start blkthrot
wait_ready
sh -c 'echo $$ >"$1/cgroup.procs" && exec dd if=/dev/zero of="$2" bs=4096 count=30 oflag=direct conv=notrunc' \
	sh "$GROUP" "$TARGET" 2>/dev/null || fail "dd in the limited group failed"
sleep 0.5
stop
expect "^Tracing block I/O throttles by cgroup\. Ctrl-C to end$"
expect_header "CSS_ID        THROTTLED  NOT_THROTTLED"
set -- $(counted)
[ "$1" -ge 1 ] || fail "expected throttled bios at 10 write IOPS, got $1"
[ "$2" -ge 30 ] || fail "expected at least 30 bios counted, got $2"
pass "$1 of $2 bios throttled"

#!/bin/sh
# mdflush: md_flush_request has no tracepoint, so a kernel without kprobes and fentry (or
# without md) must be refused in one line, exit 1, nothing on stdout. Where it can attach: BCC's
# header, and with mdadm a RAID1 over two loop devices whose fsync'ed write must show as a flush
# line naming the md device and the writer; without mdadm it is load-only.
. "$(dirname "$0")/lib.sh"

if [ "$(feature kprobe)" != yes ] && [ "$(feature fentry)" != yes ]; then
	no_method_test mdflush
	pass "refused in one line: no kprobes or fentry"
fi
if ! grep -q ' md_flush_request$' /proc/kallsyms 2>/dev/null; then
	"$BCCT" mdflush >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && [ ! -s "$OUT" ] ||
		fail "a kernel without md: want one line and exit 1, got exit $rc"
	expect_err "^mdflush: .*md_flush_request"
	pass "refused in one line: the kernel has no md"
fi

start mdflush
wait_ready
has_cmd mdadm || { stop; expect_header "TIME     PID     COMM             DEVICE"; load_only "attached; no mdadm to make an md device"; }
MD=
L1= L2=
cleanup() {
	[ -n "$APID" ] && kill -9 "$APID" 2>/dev/null
	[ -n "$MD" ] && mdadm --stop "$MD" >/dev/null 2>&1
	for l in $L1 $L2; do losetup -d "$l" 2>/dev/null; done
	rm -rf "$TMPD"
}
for i in 1 2; do dd if=/dev/zero of="$TMPD/d$i" bs=1M count=20 2>/dev/null; done
L1=$(losetup -f --show "$TMPD/d1") && L2=$(losetup -f --show "$TMPD/d2") || { stop; load_only "attached; no free loop devices"; }
MD=/dev/md/bcct$$
mdadm --create "$MD" --run --level=1 --raid-devices=2 --metadata=1.2 "$L1" "$L2" >/dev/null 2>&1 ||
	{ MD=; stop; load_only "attached; mdadm could not create a RAID1 here"; }
NAME=$(printf '%.15s' "$MARKER")
cp "$(command -v dd)" "$TMPD/$NAME"
"$TMPD/$NAME" if=/dev/zero of="$MD" bs=4096 count=4 conv=fsync 2>/dev/null
sleep 0.5
stop
expect_header "TIME     PID     COMM             DEVICE"
expect "^[0-9:]{8} [0-9]+ +$NAME +md[0-9]+"
pass "a flush of $MD"

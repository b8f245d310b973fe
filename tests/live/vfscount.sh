#!/bin/sh
# vfscount (funccount --addr -r '^vfs_.*'): with kprobes, marker-named fileops reading a file
# 1 byte at a time (301 reads) makes vfs_read count at least 300 in BCC's ADDR/FUNC/COUNT layout
# (addresses from kallsyms), and vfs_write, which it never calls, stays below that. Kernels
# without BPF attach cookies (5.10) count per probed address, named from kallsyms; where the
# kernel has cookies, a second run takes that path too (BCCT_DISABLE=attach_cookie). Without
# kprobes and fentry, one line naming what is missing and exit 1.
. "$(dirname "$0")/lib.sh"
need_workload fileops
if [ "$(feature kprobe)" != yes ]; then
	no_method_test vfscount 1
	pass "no kprobes: refused with one line"
fi
NAME=$(echo "$MARKER" | cut -c1-15)
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
head -c 300 /dev/urandom >"$TMPD/data"

# count_reads WHAT: one run around the workload, its output checked. WHAT names the run.
count_reads() {
	start vfscount --comm "$NAME"
	wait_ready 60
	"$TMPD/$NAME" read "$TMPD/data" 1
	stop
	expect "^Tracing... Ctrl-C to end.$"
	expect_header "$(printf "%-16s %-26s %8s" ADDR FUNC COUNT)"
	expect "^[0-9a-f]+ +vfs_read +[0-9]+$"
	n=$(awk '$2 == "vfs_read" { print $3 }' "$OUT")
	[ "${n:-0}" -ge 300 ] || fail "$1: vfs_read counted ${n:-0} times, expected >= 300"
	n=$(awk '$2 == "vfs_write" { print $3 }' "$OUT")
	[ "${n:-0}" -lt 300 ] || fail "$1: vfs_write counted $n times, the workload made no writes"
}

if [ "$(feature attach_cookie)" = yes ]; then
	count_reads "with attach cookies"
	! grep -q "told apart by instruction pointer" "$ERR" || fail "counted by address although the kernel has attach cookies"
	export BCCT_DISABLE=attach_cookie
fi
count_reads "without attach cookies"
expect_err "probe targets: kprobe \([0-9]+ targets of \"\^vfs_\.\*\", told apart by instruction pointer: no attach cookies\)"
unset BCCT_DISABLE
pass

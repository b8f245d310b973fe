#!/bin/sh
# vfscount (funccount --addr -r '^vfs_.*'): with kprobes, marker-named fileops reading a file
# 1 byte at a time (301 reads) makes vfs_read count at least 300 in BCC's ADDR/FUNC/COUNT layout (addresses from
# kallsyms); without kprobes and fentry, one line naming what is missing and exit 1.
. "$(dirname "$0")/lib.sh"
need_workload fileops
if [ "$(feature kprobe)" != yes ]; then
	no_method_test vfscount 1
	pass "no kprobes: refused with one line"
fi
NAME=$(echo "$MARKER" | cut -c1-15)
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
head -c 300 /dev/urandom >"$TMPD/data"
start vfscount --comm "$NAME"
wait_ready 60
"$TMPD/$NAME" read "$TMPD/data" 1
stop
expect "^Tracing... Ctrl-C to end.$"
expect_header "$(printf "%-16s %-26s %8s" ADDR FUNC COUNT)"
expect "^[0-9a-f]+ +vfs_read +[0-9]+$"
n=$(awk '$2 == "vfs_read" { print $3 }' "$OUT")
[ "${n:-0}" -ge 300 ] || fail "vfs_read counted ${n:-0} times, expected >= 300"
pass

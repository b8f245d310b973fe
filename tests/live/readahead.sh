#!/bin/sh
# readahead: a 4 MiB marker file on ext4, out of the page cache, read to its end 4 KiB at a time
# by a marker-named fileops (--comm): the pages read ahead for it are used by its reads, so the
# age histogram counts at least 512 pages and at most 256 are left unused (none past the end of
# the file). BCC's lines and histogram heading.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
need_workload fileops
# Kernels without the readahead tracepoints (the readahead window's only hooks): one line, exit 1.
if ! "$BCCT" tplist 'readahead:*' 2>/dev/null | grep -q 'readahead:page_cache_sync_ra'; then
	"$BCCT" readahead >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && [ ! -s "$OUT" ] ||
		fail "without readahead tracepoints: exit $rc, want one line and exit 1"
	expect_err "^readahead: .*page_cache_sync_ra"
	pass "no readahead tracepoints: refused with one line"
fi
fs_dir ext4
NAME=$(printf '%.15s' "ra$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
head -c 4194304 /dev/urandom >"$FSDIR/$MARKER"
sync
echo 1 >/proc/sys/vm/drop_caches
start readahead --comm "$NAME"
wait_ready
"$TMPD/$NAME" read "$FSDIR/$MARKER" 4096 || fail "workload failed"
sleep 0.3
stop
expect "^Tracing\\.\\.\\. Hit Ctrl-C to end\\.$"
expect "^Histogram of read-ahead used page age \\(ms\\):$"
expect "^     age \\(ms\\)            : count     distribution$"
unused=$(sed -n 's/^Read-ahead unused pages: \([0-9]*\)$/\1/p' "$OUT")
[ -n "$unused" ] || fail "no unused pages line"
used=$(awk '$2 == "->" && $4 == ":" { s += $5 } END { print s + 0 }' "$OUT")
[ "$used" -ge 512 ] || fail "$used used pages, expected >= 512"
[ "$unused" -le 256 ] || fail "$unused unused pages, expected <= 256"
pass "used $used, unused $unused"

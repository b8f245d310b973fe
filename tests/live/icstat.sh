#!/bin/sh
# icstat: with fentry or kprobes, 200 files on ext4 made, the dentry and inode caches dropped, then
# a marker-named fileops stat()s each: --comm's lines must sum to at least 200 references and 200
# misses (each inode read back from disk after a find_inode_fast miss). Without either (no
# tracepoint sees the inode cache), one line naming what is missing and exit 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fs.sh"
need_workload fileops
if [ "$(feature kprobe)" != yes ] && [ "$(feature fentry)" != yes ]; then
	no_method_test icstat
	pass "no kprobes or fentry: refused with one line"
fi
# Some builds inline find_inode_fast (static): nothing to probe, the same refusal.
if ! grep -q ' find_inode_fast$' /proc/kallsyms; then
	"$BCCT" icstat >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "without find_inode_fast: exit $rc, want one line and exit 1"
	pass "find_inode_fast inlined in this kernel: refused with one line"
fi
fs_dir ext4
NAME=$(printf '%.15s' "ic$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
mkdir "$FSDIR/d"
i=0
while [ $i -lt 200 ]; do : >"$FSDIR/d/nx$i"; i=$((i + 1)); done
sync
echo 2 >/proc/sys/vm/drop_caches
start icstat --comm "$NAME"
wait_ready 60
"$TMPD/$NAME" lookup "$FSDIR/d" 200
sleep 1.2
stop
expect_header "      REFS     MISSES  HIT%"
expect "^ +[0-9]+ +[0-9]+ +[0-9]+%$"
sum() { awk -v c="$1" '$3 ~ /%$/ { s += $c } END { print s + 0 }' "$OUT"; }
[ "$(sum 1)" -ge 200 ] || fail "REFS total $(sum 1), expected >= 200"
[ "$(sum 2)" -ge 200 ] || fail "MISSES total $(sum 2), expected >= 200"
pass "refs $(sum 1), misses $(sum 2)"

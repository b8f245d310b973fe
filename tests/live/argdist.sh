#!/bin/sh
# argdist: -C on a syscall tracepoint field with a STRCMP filter (exact counts of the test's own
# opens); -H of a static workload's malloc sizes (known sizes in their log2 buckets) with a -C
# label and -T; a USDT argument counted across two probe sites that pass it differently; -i/-n
# interval output ending by itself; syntax errors with a caret (exit 2); kernel functions: the
# one-line refusal without kprobes.
. "$(dirname "$0")/lib.sh"
start_fresh() { : >"$OUT"; : >"$ERR"; start "$@"; }
need_workload trace_target
need_workload usdt_marker
feature() { "$BCCT" features | awk -v f="$1" '$1 == f { print $2 }'; }
# count_of EVENT: the COUNT of the last "\tCOUNT EVENT" row for EVENT (cumulative output).
count_of() {
	awk -v e="$1" -F '\t' '$1 == "" && NF == 2 && substr($2, 12) == e { v = substr($2, 1, 10) + 0 } END { print v + 0 }' "$OUT"
}
# bucket LOW HIGH: the count of the last histogram row "LOW -> HIGH".
bucket() {
	awk -v lo="$1" -v hi="$2" '$1 == lo && $2 == "->" && $3 == hi && $4 == ":" { c = $5 } END { print c + 0 }' "$OUT"
}

# Tracepoint field, filtered by the file name: 3 opens for reading, 2 for writing.
F="$TMPD/$MARKER"
start_fresh argdist -c -i 1 -C "t:syscalls:sys_enter_openat():int:args->flags & 1:STRCMP(\"$F\", args->filename)"
wait_ready
: >"$F"
: >"$F"
for i in 1 2 3; do cat "$F" >/dev/null; done
sleep 1.5
stop
expect "^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\]$"
expect_header "t:syscalls:sys_enter_openat():int:args->flags & 1:STRCMP(\"$F\", args->filename)"
expect_header "	COUNT      EVENT"
[ "$(count_of 'args->flags & 1 = 0')" -eq 3 ] || fail "expected 3 opens for reading, got $(count_of 'args->flags & 1 = 0')"
[ "$(count_of 'args->flags & 1 = 1')" -eq 2 ] || fail "expected 2 opens for writing, got $(count_of 'args->flags & 1 = 1')"

# malloc sizes of the static workload: 3 x (24 x 5, 200 x 3, 5000 x 2).
W="$WORKLOADS/trace_target"
rm -f "$TMPD/go"
"$W" "$TMPD/go" 3 &
WPID=$!
start_fresh argdist -c -i 1 -p "$WPID" -H "p:$W:malloc(size_t size):size_t:size" \
	-C "p:$W:malloc(size_t size):size_t:size#sizes" -T 2
wait_ready
touch "$TMPD/go"
wait "$WPID"
sleep 1.2
stop
expect_header "     size                : count     distribution"
[ "$(bucket 16 31)" -eq 15 ] || fail "16 -> 31 holds $(bucket 16 31), expected 15"
[ "$(bucket 128 255)" -eq 9 ] || fail "128 -> 255 holds $(bucket 128 255), expected 9"
[ "$(bucket 4096 8191)" -eq 6 ] || fail "4096 -> 8191 holds $(bucket 4096 8191), expected 6"
expect "^sizes$"
[ "$(count_of 'size = 24')" -eq 15 ] || fail "size = 24 counted $(count_of 'size = 24'), expected 15"
[ "$(count_of 'size = 200')" -eq 9 ] || fail "size = 200 counted $(count_of 'size = 200'), expected 9"
expect_not "size = 5000"   # -T 2: the two largest counts only

# USDT: marker's first argument is i at one site and 2i at the other (two programs, one map).
cp "$WORKLOADS/usdt_marker" "$TMPD/usdt_marker"
start_fresh argdist -c -i 1 -C "u:$TMPD/usdt_marker:marker():long:arg1"
wait_ready
"$TMPD/usdt_marker" 0.25 || fail "usdt_marker failed"
sleep 1.2
stop
for v in "0 2" "1 1" "2 2" "4 1"; do
	set -- $v
	[ "$(count_of "arg1 = $1")" -eq "$2" ] || fail "arg1 = $1 counted $(count_of "arg1 = $1"), expected $2"
done

# Interval output: -i 1 -n 2 prints two intervals and ends by itself.
run_fg 20 argdist -i 1 -n 2 -C 't:sched:sched_switch()' || fail "interval run failed"
[ "$(grep -Ec '^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\]$' "$OUT")" -eq 2 ] || fail "expected 2 intervals"
expect "^	[0-9]+ +total calls$"

# Errors: a caret under the bad part, exit 2.
"$BCCT" argdist -C 't:syscalls:sys_enter_openat():int:args->flagz' >"$OUT" 2>"$ERR"
rc=$?
[ "$rc" -eq 2 ] || fail "bad field exited with $rc, expected 2"
expect_err "^argdist: probe \".*\": .*did you mean 'flags'"
awk 'NR == 1 { want = index($0, "flagz\"") } NR == 2 { exit !(index($0, "^~") == want) }' "$ERR" ||
	fail "caret not under flagz"
"$BCCT" argdist -H 'p:c:malloc(size_t size)' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "a histogram without an expression is not a usage error"
"$BCCT" argdist >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "no specifier is not a usage error"
# A char[] field as a number is a type error, not a verifier log.
"$BCCT" argdist -H 't:sched:sched_switch():u64:args->prev_comm' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "a char[] histogram value is not a usage error"
[ "$(wc -l <"$ERR")" -eq 2 ] || fail "the char[] type error is not one line and a caret"
expect_err "'args->prev_comm' is char\[16\], an array; declare the value char\* to count it as a string"
# Kernel flag macros by name, valued from this kernel (flags & GFP_KERNEL is true for most).
run_fg 20 argdist -i 1 -n 1 -C 't:kmem:kmalloc():u32:(args->gfp_flags & GFP_KERNEL) == GFP_KERNEL' ||
	fail "GFP_KERNEL did not resolve"
expect "^	[0-9]+ +\(args->gfp_flags & GFP_KERNEL\) == GFP_KERNEL = 1$"

if [ "$(feature kprobe)" = yes ]; then
	run_fg 20 argdist -i 1 -n 1 -H 'r::vfs_read():int:$retval' || fail "kprobe run failed"
	KERNEL="kretprobe histogram"
else
	"$BCCT" argdist -C 'p::__kmalloc(size_t size):size_t:size' >"$OUT" 2>"$ERR"
	rc=$?
	[ "$rc" -eq 1 ] || fail "kernel function without kprobes exited with $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "refusal is not one line"
	expect_err '^argdist: kernel functions need kprobes'
	KERNEL="kernel functions refused (no kprobes)"
fi
pass "tracepoint -C, uprobe -H/-C/-T, USDT over two sites, -i/-n, $KERNEL"

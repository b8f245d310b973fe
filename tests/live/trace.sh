#!/bin/sh
# trace: a syscall tracepoint with a predicate and a string argument (only the file opened for
# writing shows), -t/-T/-C columns; uprobe and uretprobe on a static workload with exact argument,
# string and return values, -f; -U stacks naming the workload's functions; -M ending the run by
# itself; libc's malloc under -p with $entry() in a return probe (where libc and python3 exist);
# USDT on a private usdt_marker (a semaphore-gated probe included) and python3.11's
# function__return; syntax errors with a caret (exit 2); kernel functions: the one-line refusal
# without kprobes, events with them.
. "$(dirname "$0")/lib.sh"
start_fresh() { : >"$OUT"; : >"$ERR"; start "$@"; }
need_workload trace_target
need_workload usdt_marker
feature() { "$BCCT" features | awk -v f="$1" '$1 == f { print $2 }'; }
HDR="PID     TID     COMM            FUNC             -"
# events FUNC: the number of event lines for FUNC
events() { awk -v f="$1" '$1 ~ /^[0-9]+$/ && $4 == f { n++ } END { print n + 0 }' "$OUT"; }

# Tracepoint, predicate on a field, %s of a user string: O_WRONLY opens only.
start_fresh trace 't:syscalls:sys_enter_openat (args->flags & 1) "%s", args->filename'
wait_ready
: >"$TMPD/$MARKER.w"
cat "$TMPD/$MARKER.w" "$TMPD/$MARKER.w" >/dev/null
stop
expect_header "$HDR"
expect "^[0-9]+ +[0-9]+ +[^ ]+ +sys_enter_openat +$TMPD/$MARKER\.w$"
[ "$(grep -c "$MARKER" "$OUT")" -eq 1 ] || fail "expected exactly one open for writing of the marker"

# Columns: -t (seconds since start) with -C, and -T (time of day).
start_fresh trace -t -C 't:syscalls:sys_enter_openat "%s", args->filename'
wait_ready
cat "$TMPD/$MARKER.w" >/dev/null
stop
expect_header "TIME     CPU PID     TID     COMM            FUNC             -"
expect "^[0-9]+\.[0-9]{6} [0-9]+ +[0-9]+ +[0-9]+ +[^ ]+ +sys_enter_openat +$TMPD/$MARKER\.w$"
start_fresh trace -T 't:syscalls:sys_enter_openat "%s", args->filename'
wait_ready
cat "$TMPD/$MARKER.w" >/dev/null
stop
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]+ +[0-9]+ +[^ ]+ +sys_enter_openat +$TMPD/$MARKER\.w$"

# Uprobe + uretprobe on the static workload, -p: arguments, a string, return values.
W="$WORKLOADS/trace_target"
rm -f "$TMPD/go"
"$W" "$TMPD/go" 3 &
WPID=$!
start_fresh trace -p "$WPID" "$W:bcct_tr_inner \"i=%d tag=%s\", arg1, arg2" "r:$W:bcct_tr_inner \"ret=%d\", retval"
wait_ready
touch "$TMPD/go"
wait "$WPID"
stop
expect_header "$HDR"
for i in 0 1 2; do
	expect "^$WPID +$WPID +trace_target +bcct_tr_inner +i=$i tag=bcct-tag$"
	expect "^$WPID +$WPID +trace_target +bcct_tr_inner +ret=$((i * 10 + 7))$"
done
[ "$(events bcct_tr_inner)" -eq 6 ] || fail "expected 6 events, got $(events bcct_tr_inner)"
expect_err "probe bcct_tr_inner: uretprobe"

# -f MSG_FILTER, and -M ending the run by itself after MAX events.
rm -f "$TMPD/go"
"$W" "$TMPD/go" 3 &
WPID=$!
start_fresh trace -f 'i=1' -p "$WPID" "$W:bcct_tr_inner \"i=%d\", arg1"
wait_ready
touch "$TMPD/go"
wait "$WPID"
stop
[ "$(events bcct_tr_inner)" -eq 1 ] || fail "-f: expected 1 event, got $(events bcct_tr_inner)"
expect "bcct_tr_inner +i=1$"
rm -f "$TMPD/go"
"$W" "$TMPD/go" 3 &
WPID=$!
start_fresh trace -M 2 -p "$WPID" "$W:bcct_tr_inner \"i=%d\", arg1"
wait_ready
touch "$TMPD/go"
wait_exit 20
wait "$WPID"
[ "$(events bcct_tr_inner)" -eq 2 ] || fail "-M 2: expected 2 events, got $(events bcct_tr_inner)"

# -U: the user stack names the workload's functions, innermost first, with offsets and module.
# A uprobe fires before the function has pushed its frame pointer, where the kernel's walk skips
# the immediate caller (bcct_tr_outer) unless the kernel adds it (6.12+); bcct puts it back.
rm -f "$TMPD/go"
"$W" "$TMPD/go" 1 &
WPID=$!
start_fresh trace -U -p "$WPID" "$W:bcct_tr_inner"
wait_ready
touch "$TMPD/go"
wait "$WPID"
stop
expect_header "PID     TID     COMM            FUNC             "
awk '/^        bcct_tr_inner\+0x0 \[trace_target\]$/ { a = NR } /^        bcct_tr_outer\+0x[0-9a-f]+ \[trace_target\]$/ { b = NR }
     /^        main\+0x[0-9a-f]+ \[trace_target\]$/ { c = NR }
     END { exit !(a && b == a + 1 && c == b + 1) }' "$OUT" ||
	fail "-U: expected bcct_tr_inner, bcct_tr_outer, main frames in order"

# libc's malloc in one (dynamic) process: entry with a predicate, return with $entry().
if has_cmd python3 && grep -q '/libc[.-]' /proc/self/maps; then
	rm -f "$TMPD/go"
	python3 -c '
import ctypes, os, sys, time
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
while not os.path.exists(sys.argv[1]):
    time.sleep(0.02)
for i in range(3):
    libc.malloc(12345)
' "$TMPD/go" &
	WPID=$!
	start_fresh trace -p "$WPID" 'c:malloc (arg1 == 12345) "size=%d", arg1' \
		'r:c:malloc(size_t n) ($entry(n) == 12345) "ret=%llx", retval'
	wait_ready
	touch "$TMPD/go"
	wait "$WPID"
	stop
	[ "$(grep -c "malloc  *size=12345$" "$OUT")" -eq 3 ] || fail "expected 3 malloc(12345) entries"
	[ "$(grep -Ec "malloc +ret=[0-9a-f]+$" "$OUT")" -eq 3 ] || fail "expected 3 malloc returns"
	MALLOC=", libc malloc"
else
	MALLOC=
fi

# USDT: a private copy (uprobes go by inode); marker fires twice per tick with i and 2i, sema only
# while its semaphore is held.
cp "$WORKLOADS/usdt_marker" "$TMPD/usdt_marker"
start_fresh trace "u:$TMPD/usdt_marker:bcct_test:marker \"i=%d\", arg1" "u:$TMPD/usdt_marker:sema \"s=%d\", arg1"
wait_ready
"$TMPD/usdt_marker" 0.25 || fail "usdt_marker failed"
stop
expect "usdt_marker +marker +i=4$"
expect "usdt_marker +sema +s=2$"
USDT="USDT"
if [ -x /usr/bin/python3.11 ]; then
	start_fresh trace 'u:/usr/bin/python3.11:function__return "%s", arg2'
	wait_ready
	/usr/bin/python3.11 -c "def $MARKER(): pass
$MARKER()"
	stop
	expect "python3.11 +function__return +$MARKER$"
	USDT="USDT (python3.11 too)"
fi

# Errors: a caret under the bad part, exit 2.
"$BCCT" trace 't:syscalls:sys_enter_openat "%s", args->filenam' >"$OUT" 2>"$ERR"
rc=$?
[ "$rc" -eq 2 ] || fail "bad field exited with $rc, expected 2"
expect_err "^trace: probe \"t:syscalls:sys_enter_openat \"%s\", args->filenam\": .*did you mean 'filename'"
awk 'NR == 1 { want = index($0, "filenam\"") } NR == 2 { exit !(index($0, "^~") == want) }' "$ERR" ||
	fail "caret not under filenam"
"$BCCT" trace 'x:foo:bar' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "bad probe type not a usage error"
# -s (BCC's symbol files for build-id stacks) and -I with a user header's path: refused, one line
# naming why; -I with a kernel header: accepted (its types are the kernel BTF's), noted with -v.
"$BCCT" trace -s /bin/true -U 't:syscalls:sys_enter_openat' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "-s not refused with exit 2"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "-s refusal is not one line"
expect_err '^trace: -s /bin/true: not supported: user stacks are symbolized from'
"$BCCT" trace -I ./myapp.h 't:syscalls:sys_enter_openat' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "-I ./myapp.h not refused with exit 2"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "-I refusal is not one line"
expect_err "^trace: -I \./myapp\.h: not supported: .*without a C compiler"
start_fresh trace -I net/sock.h -M 1 't:syscalls:sys_enter_openat "%s", args->filename'
wait_ready
cat /proc/self/stat >/dev/null
wait_exit 20
expect_err '-I net/sock.h: its kernel types come from the kernel.s BTF'

# Kernel functions.
if [ "$(feature kprobe)" = yes ]; then
	start_fresh trace -M 3 'p::vfs_read "count=%d", arg3'
	wait_ready
	for i in 1 2 3 4; do cat /proc/self/stat >/dev/null; done
	wait_exit 20
	expect "vfs_read +count=[0-9]+$"
	# A syscall named as older kernels did (BCC's example): this kernel's __x64_sys_read, its
	# arguments read through the wrapper's pt_regs.
	start_fresh trace -M 1 'sys_read (arg3 == 12347) "read %d bytes", arg3'
	wait_ready
	dd if=/proc/self/stat of=/dev/null bs=12347 count=1 2>/dev/null
	wait_exit 20
	expect "read 12347 bytes$"
	KERNEL="kprobes"
else
	"$BCCT" trace 'do_sys_open "%s", arg2' >"$OUT" 2>"$ERR"
	rc=$?
	[ "$rc" -eq 1 ] || fail "kernel function without kprobes exited with $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "refusal is not one line"
	expect_err '^trace: kernel functions need kprobes'
	"$BCCT" trace -v 'SyS_read' >"$OUT" 2>"$ERR"
	expect_err '^trace: SyS_read: this kernel names the syscall __(x64|arm64)_sys_read$'
	KERNEL="kernel functions refused (no kprobes)"
fi
pass "tracepoint, uprobes, -U, -M, -f$MALLOC, $USDT, $KERNEL"

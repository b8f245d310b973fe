#!/bin/sh
# funccount: a static workload's two functions counted exactly under -p (uprobe_multi where the
# kernel has it, and one uprobe per target), a tracepoint glob counting a workload's getppid()
# calls exactly, USDT probes of a private copy of usdt_marker (semaphore-gated one included),
# libc's malloc system-wide, -c CPU, interval output, syntax errors with a caret, refusal of
# several user functions without attach cookies, and kernel functions: the one-line refusal
# where the kernel has neither kprobes nor fentry, counts of vfs_read where it has kprobes (a
# wildcard, its matches told apart by address where the kernel has no cookies).
. "$(dirname "$0")/lib.sh"
# start() empties $ERR in the background child: on a slow machine wait_ready could still see the
# previous run's "attached N links". Empty both files first.
start_fresh() { : >"$OUT"; : >"$ERR"; start "$@"; }
need_workload funclat_target
need_workload syscount_loop
need_workload usdt_marker
NSLEEP=5
NFAST=50
NCALLS=2000
feature() { "$BCCT" features | awk -v f="$1" '$1 == f { print $2 }'; }
# Kernels before 5.15 have no attach cookies: several targets per spec are refused there (USDT
# and kernel functions excepted), so the multi-target parts use one target.
COOKIE=$(feature attach_cookie)

# count_of NAME: the COUNT column of NAME's row (0 when absent).
count_of() {
	awk -v n="$1" '$1 == n && NF == 2 { c = $2 } END { print c + 0 }' "$OUT"
}
# line_of NAME: the output line number of NAME's row (0 when absent).
line_of() {
	awk -v n="$1" '$1 == n && NF == 2 { l = NR } END { print l + 0 }' "$OUT"
}

# User functions of one process: exact counts, BCC's banner, columns and order (by count).
user_functions() {
	rm -f "$TMPD/go"
	"$WORKLOADS/funclat_target" "$TMPD/go" 1 "$NSLEEP" "$NFAST" &
	WPID=$!
	if [ "$COOKIE" = no ]; then
		start_fresh funccount -p "$WPID" "$WORKLOADS/funclat_target:bcct_fl_fast"
	else
		start_fresh funccount -p "$WPID" "$WORKLOADS/funclat_target:bcct_fl_*"
	fi
	wait_ready
	touch "$TMPD/go"
	wait "$WPID"
	stop
	expect_header "FUNC                                    COUNT"
	expect "^Detaching\.\.\.$"
	[ "$(count_of bcct_fl_fast)" -eq "$NFAST" ] || fail "bcct_fl_fast counted $(count_of bcct_fl_fast) times, expected $NFAST"
	[ "$COOKIE" = no ] && return
	expect_header "Tracing 2 functions for \"$WORKLOADS/funclat_target:bcct_fl_*\"... Hit Ctrl-C to end."
	expect "^bcct_fl_sleep_ms {20,}$NSLEEP$"
	[ "$(count_of bcct_fl_sleep_ms)" -eq "$NSLEEP" ] || fail "bcct_fl_sleep_ms counted $(count_of bcct_fl_sleep_ms) times, expected $NSLEEP"
	[ "$(line_of bcct_fl_sleep_ms)" -lt "$(line_of bcct_fl_fast)" ] || fail "rows not sorted by count"
}
user_functions
METHOD1=$(grep -o 'probe targets: [a-z_]*' "$ERR" | sed 's/.*: //')
# The other attach path: one uprobe per target when uprobe_multi links are in use above.
if [ "$METHOD1" = uprobe_multi ]; then
	export BCCT_DISABLE=uprobe_multi
	user_functions
	unset BCCT_DISABLE
	expect_err "probe targets: uprobe \("
fi

# Without attach cookies several targets cannot be told apart: refused in one line.
BCCT_DISABLE=attach_cookie "$BCCT" funccount "$WORKLOADS/funclat_target:bcct_fl_*" >"$OUT" 2>"$ERR"
rc=$?
[ "$rc" -eq 1 ] || fail "no-cookie refusal exited with $rc, expected 1"
expect_err 'matches 2 targets, and this kernel has no BPF attach cookies'

# Tracepoints by glob: sys_enter_getppid and sys_exit_getppid, NCALLS each, for one process.
rm -f "$TMPD/go"
"$WORKLOADS/syscount_loop" "$TMPD/go" "$NCALLS" &
WPID=$!
TPS="syscalls:sys_enter_getppid syscalls:sys_exit_getppid"
if [ "$COOKIE" = no ]; then
	TPS=syscalls:sys_enter_getppid
	start_fresh funccount -p "$WPID" 't:syscalls:sys_enter_getppi*'
else
	start_fresh funccount -p "$WPID" 't:syscalls:sys_e*_getppid'
fi
wait_ready
touch "$TMPD/go"
wait "$WPID"
stop
[ "$COOKIE" = no ] || expect_header 'Tracing 2 functions for "t:syscalls:sys_e*_getppid"... Hit Ctrl-C to end.'
for tp in $TPS; do
	[ "$(count_of $tp)" -eq "$NCALLS" ] || fail "$tp counted $(count_of $tp) times, expected $NCALLS"
done
expect_not "sys_enter_fchdir"

# -c CPU: the same calls made on another CPU than the one traced are not counted.
NCPU=$(grep -c '^processor' /proc/cpuinfo)
if has_cmd taskset && [ "$NCPU" -ge 2 ]; then
	rm -f "$TMPD/go"
	taskset -c 1 "$WORKLOADS/syscount_loop" "$TMPD/go" "$NCALLS" &
	WPID=$!
	start_fresh funccount -c 0 -p "$WPID" 't:syscalls:sys_enter_getppid'
	wait_ready
	touch "$TMPD/go"
	wait "$WPID"
	stop
	[ "$(count_of syscalls:sys_enter_getppid)" -eq 0 ] || fail "-c 0 counted calls made on CPU 1"
fi

# USDT: a private copy of usdt_marker (uprobes go by inode: no other run counts). Each run fires
# bcct_test:marker at two sites, and bcct_test:sema once, enabled by its semaphore.
cp "$WORKLOADS/usdt_marker" "$TMPD/usdt_marker"
start_fresh funccount "u:$TMPD/usdt_marker:bcct_test:*"
wait_ready
for i in 1 2 3; do "$TMPD/usdt_marker" || fail "usdt_marker failed"; done
stop
expect_header "Tracing 2 functions for \"u:$TMPD/usdt_marker:bcct_test:*\"... Hit Ctrl-C to end."
[ "$(count_of marker)" -eq 6 ] || fail "marker counted $(count_of marker) times, expected 6"
[ "$(count_of sema)" -eq 3 ] || fail "sema counted $(count_of sema) times, expected 3"

# libc's malloc, system-wide, for a fixed duration while dynamic commands run (where grep and ls
# are dynamic: not in the VM guests' busybox).
if grep -q '/libc[.-]' /proc/self/maps; then
	start_fresh funccount -d 3 c:malloc
	wait_ready
	for i in 1 2 3 4 5; do ls / >/dev/null 2>&1; sh -c 'echo x' >/dev/null; done
	wait_exit 20
	expect_header 'Tracing 1 functions for "c:malloc"... Hit Ctrl-C to end.'
	[ "$(count_of malloc)" -gt 0 ] || fail "malloc not counted"
	MALLOC=" malloc"
else
	MALLOC=" (no libc here: malloc part skipped)"
fi

# Interval output: one table per second, then Detaching.
run_fg 20 funccount -i 1 -d 2 't:sched:sched_switch' || fail "interval run failed"
[ "$(grep -c '^FUNC  ' "$OUT")" -eq 2 ] || fail "expected 2 interval tables"
[ "$(grep -c '^Detaching\.\.\.$' "$OUT")" -eq 1 ] || fail "expected one Detaching..."

# Syntax errors: one line naming the spec, a caret under the bad column, exit 2.
"$BCCT" funccount 'x:foo:bar' >"$OUT" 2>"$ERR"
rc=$?
[ "$rc" -eq 2 ] || fail "bad probe type exited with $rc, expected 2"
expect_err '^funccount: probe "x:foo:bar": probe type must be'
awk 'NR == 1 { want = index($0, "\"x:") + 1 } NR == 2 { exit !(index($0, "^") == want && $0 ~ /^ *\^$/) }' "$ERR" ||
	fail "caret not under the probe type"
"$BCCT" funccount 'a:b:c:d:e' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "too many parts not a usage error"
expect_err "too many ':'-separated parts"
awk 'NR == 1 { want = index($0, "\"a:") + 8 } NR == 2 { exit !(index($0, "^") == want) }' "$ERR" ||
	fail "caret not under the fourth ':'"
"$BCCT" funccount 'nosuchlib_bcct:foo' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "unknown library not a usage error"
expect_err 'cannot find library or executable "nosuchlib_bcct"'

# Kernel functions: need kprobes (fentry-based counting is not implemented).
if [ "$(feature kprobe)" = yes ]; then
	# A wildcard: the kernel's function list is expanded, the matches told apart by cookies,
	# or by the probed address where the kernel has none (vfscount.sh tests that path more).
	start_fresh funccount 'vfs_rea*'
	wait_ready
	for i in 1 2 3; do cat /proc/self/stat >/dev/null; done
	stop
	[ "$(count_of vfs_read)" -gt 0 ] || fail "vfs_read not counted"
	[ "$COOKIE" = yes ] || expect_err "told apart by instruction pointer: no attach cookies"
	KERNEL="vfs_read counted ($(sed -n 's/^Tracing \([0-9]*\) functions.*/\1/p' "$OUT") kprobes)"
else
	"$BCCT" funccount vfs_read >"$OUT" 2>"$ERR"
	rc=$?
	[ "$rc" -eq 1 ] || fail "kernel function without kprobes exited with $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "refusal is not one line"
	if [ "$(feature fentry)" = no ]; then
		expect_err '^funccount: kernel functions need kprobes or fentry, which this kernel lacks \(.*\); tracepoints \(t:\), user functions and USDT work$'
	else
		expect_err '^funccount: kernel functions need kprobes, which this kernel lacks'
	fi
	KERNEL="kernel functions refused (no kprobes)"
fi
[ "$COOKIE" = no ] && COOKIES=", one user function or tracepoint per spec (no attach cookies)" || COOKIES=
pass "uprobes ($METHOD1), tracepoints, USDT,$MALLOC, $KERNEL$COOKIES"

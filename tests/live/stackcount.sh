#!/bin/sh
# stackcount: user stacks of a uprobe on a static workload built with frame pointers (known call
# chains main -> bcct_sc_outer -> bcct_sc_inner -> bcct_sc_target, N times, and main ->
# bcct_sc_other -> bcct_sc_target, M times) with exact counts, sorted by count, -v raw addresses,
# stacks merged over processes unless -P (BCC: "comm [pid]" lines only with -P), folded output (-f); a tracepoint (sys_enter_openat of the
# workload, -p) with user frames named (-U) and kernel + user stacks with the -d delimiter; -K
# stacks aggregated over processes, split by process with -P; interval output with timestamps;
# kernel functions: the one-line refusal without kprobes/fentry, stacks of vfs_read with kprobes.
. "$(dirname "$0")/lib.sh"
# start() empties $ERR in the background child: on a slow machine wait_ready could still see the
# previous run's "attached N links". Empty both files first.
start_fresh() { : >"$OUT"; : >"$ERR"; start "$@"; }
# Waits (at most 30 s) for the workload's "calls made" file, GOFILE.done.
wait_done() {
	n=300
	while [ ! -e "$TMPD/go.done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$TMPD/go.done" ] || fail "workload did not finish its calls"
	rm -f "$TMPD/go.done"
	sleep 0.2
}
need_workload stackcount_target
N=7
M=3
feature() { "$BCCT" features | awk -v f="$1" '$1 == f { print $2 }'; }

# One line per printed stack, "frame,frame,...|comm [pid]|count" (frames innermost first, "--"
# for the -d delimiter; -v's address column dropped), from BCC's multi-line layout.
stacks() {
	awk '
	/^  [^ ]/ { f = (NF >= 2 && $1 ~ /^[0-9a-f]+$/) ? $2 : $1; s = s (s == "" ? "" : ",") f; next }
	/^    --$/ { s = s (s == "" ? "" : ",") "--"; next }
	/^    [0-9]+$/ { print s "|" c "|" $1; s = ""; c = ""; next }
	/^    [^ ]/ { c = substr($0, 5); next }
	' "$OUT"
}
# count_of REGEX: the counts of the stack lines matching REGEX, summed (0 when none). Through the
# environment: awk -v would take the backslashes of the regex as escapes.
count_of() {
	stacks | RE=$1 awk -F'|' '$0 ~ ENVIRON["RE"] { c += $3 } END { print c + 0 }'
}
# Runs the workload under stackcount ARGS... (the workload's pid in $WPID, "@PID@" in ARGS is
# replaced by it), and stops stackcount while the workload still runs (its symbols are read
# from /proc/PID at print time), then lets the workload end. $BIN: the workload to run.
BIN="$WORKLOADS/stackcount_target"
run_workload() {
	rm -f "$TMPD/go" "$TMPD/go.done"
	"$BIN" "$TMPD/go" "$N" "$M" &
	WPID=$!
	args=
	for a in "$@"; do
		[ "$a" = @PID@ ] && a=$WPID
		args="$args '$a'"
	done
	eval "start_fresh stackcount $args"
	wait_ready
	touch "$TMPD/go"
	wait_done
	stop
	rm -f "$TMPD/go"
	wait "$WPID"
}

# 1. A uprobe, user stacks, one process: the two chains with their exact counts, in ascending
# order. A uprobe fires at the function's first instruction, before it saves its frame pointer:
# the kernel's walk misses the immediate caller (kernels from 6.12 add it for functions that
# push %rbp first); bcct puts it back, once (tests/live/ustack_entry.sh covers the cases).
SPEC="$WORKLOADS/stackcount_target:bcct_sc_target"
run_workload -p @PID@ "$SPEC"
expect_header "Tracing 1 functions for \"$SPEC\"... Hit Ctrl-C to end."
expect "^Detaching\.\.\.$"
CHAIN='^bcct_sc_target,bcct_sc_inner,bcct_sc_outer,main(,|\|)'
OTHER='^bcct_sc_target,bcct_sc_other,main(,|\|)'
[ "$(count_of "$CHAIN")" -eq "$N" ] || fail "outer/inner chain counted $(count_of "$CHAIN") times, expected $N"
[ "$(count_of "$OTHER")" -eq "$M" ] || fail "other chain counted $(count_of "$OTHER") times, expected $M"
# Ascending by count: the M stack first.
[ "$(stacks | grep -En "$OTHER" | cut -d: -f1)" -lt "$(stacks | grep -En "$CHAIN" | cut -d: -f1)" ] ||
	fail "stacks not sorted by count"
# -v (added by start): BCC's raw address column, "  %-16x name".
expect '^  [0-9a-f]+ +bcct_sc_target$'
# With -p, no "comm [pid]" line.
stacks | awk -F'|' '$2 != "" { exit 1 }' || fail "comm line printed with -p"

# 2. Every process (a private copy: uprobes go by inode), folded: as BCC's without -P, stacks are
# counted over every process, with no process name (folded lines start with ";") and no
# "comm [pid]" line; -P counts them per process with "comm;..." and "    comm [pid]".
cp "$WORKLOADS/stackcount_target" "$TMPD/stackcount_target"
BIN="$TMPD/stackcount_target"
SPEC="$BIN:bcct_sc_target"
run_workload -f "$SPEC"
expect_not "^Tracing "
expect_not "^Detaching"
expect "^;(.*;)?main;bcct_sc_outer;(bcct_sc_inner;)?bcct_sc_target $N$"
expect "^;(.*;)?main;(bcct_sc_other;)?bcct_sc_target $M$"
[ "$(grep -c ';bcct_sc_target [0-9]*$' "$OUT")" -eq 2 ] || fail "expected 2 folded stacks"
run_workload -f -P "$SPEC"
expect "^stackcount_targ;(.*;)?main;bcct_sc_outer;(bcct_sc_inner;)?bcct_sc_target $N$"
run_workload -P "$SPEC"
[ "$(stacks | grep -c "^bcct_sc_target,.*|stackcount_targ \[$WPID\]|$N$")" -eq 1 ] ||
	fail "-P: no \"stackcount_targ [$WPID]\" stack counted $N times"
# Two processes of one (non-PIE) executable hit the same stacks: one count of both (2N) without
# -P, named in user frames all the same; with -P one stack per process.
two_workloads() {
	rm -f "$TMPD"/go1* "$TMPD"/go2*
	"$BIN" "$TMPD/go1" "$N" "$M" &
	W1=$!
	"$BIN" "$TMPD/go2" "$N" "$M" &
	W2=$!
	start_fresh stackcount "$@" "$SPEC"
	wait_ready
	touch "$TMPD/go1" "$TMPD/go2"
	n=300
	while [ ! -e "$TMPD/go1.done" ] || [ ! -e "$TMPD/go2.done" ]; do
		[ "$n" -gt 0 ] || fail "workloads did not finish their calls"
		sleep 0.1
		n=$((n - 1))
	done
	sleep 0.2
	stop
	rm -f "$TMPD/go1" "$TMPD/go2"
	wait "$W1" "$W2"
}
two_workloads
[ "$(count_of "$CHAIN")" -eq $((2 * N)) ] || fail "two processes: chain counted $(count_of "$CHAIN") times, expected $((2 * N))"
[ "$(stacks | grep -Ec "$CHAIN")" -eq 1 ] || fail "two processes: the chain printed as more than one stack"
stacks | awk -F'|' '$2 != "" { exit 1 }' || fail "comm line printed without -P"
two_workloads -P
[ "$(stacks | grep -Ec "$CHAIN")" -eq 2 ] || fail "-P: the chain not printed once per process"
stacks | grep -Eq "$CHAIN.*\|stackcount_targ \[$W1\]\|$N$" || fail "-P: no chain for stackcount_targ [$W1]"
stacks | grep -Eq "$CHAIN.*\|stackcount_targ \[$W2\]\|$N$" || fail "-P: no chain for stackcount_targ [$W2]"
BIN="$WORKLOADS/stackcount_target"

# 3. A tracepoint of one process: -U names the workload's functions (the workload makes the
# system call itself; libc has no frame pointers).
run_workload -U -p @PID@ t:syscalls:sys_enter_openat
expect_header 'Tracing 1 functions for "t:syscalls:sys_enter_openat"... Hit Ctrl-C to end.'
OPEN='^bcct_sc_open_inner,bcct_sc_open_outer,main(,|\|)'
[ "$(count_of "$OPEN")" -eq "$N" ] || fail "-U: open chain counted $(count_of "$OPEN") times, expected $N"
# Kernel and user stacks (the default), -d: kernel frames, "--", the user frames. (Kernels
# before 6.x give syscall tracepoints the user-mode registers of the system call: no kernel stack
# there, only the delimiter.)
run_workload -d -p @PID@ t:syscalls:sys_enter_openat
KU='^([^|]+,)?--,bcct_sc_open_inner,bcct_sc_open_outer,main(,|\|)'
[ "$(count_of "$KU")" -eq "$N" ] || fail "-d: kernel -- user stack counted $(count_of "$KU") times, expected $N"
# Folded, -d: "comm;user outer..inner;-;kernel outer..inner count".
run_workload -f -d -p @PID@ t:syscalls:sys_enter_openat
expect "^stackcount_targ;(.*;)?main;bcct_sc_open_outer;bcct_sc_open_inner;-(;[^ ]+)? $N$"

# 4. -K: kernel stacks of every process aggregated (no "comm [pid]" line); -P splits them by
# process. sched_switch: the workload blocks in nanosleep(), in kernel context on every kernel.
run_workload -K t:sched:sched_switch
stacks | awk -F'|' '$2 != "" { exit 1 }' || fail "-K: stacks split by process without -P"
stacks | grep -Eq '^([^|]*,)?_*schedule[,|]' || fail "-K: no kernel stack through schedule()"
run_workload -K -P t:sched:sched_switch
stacks | awk -F'|' -v c="stackcount_targ [$WPID]" '$2 == c && $1 ~ /(^|,)_*schedule(,|$)/ { f = 1 } END { exit !f }' ||
	fail "-K -P: no stack through schedule() for stackcount_targ [$WPID]"

# 5. Interval output with timestamps: two summaries (-i 1 -D 2), one Detaching.
run_fg 20 stackcount -K -T -i 1 -D 2 t:sched:sched_switch || fail "interval run failed"
[ "$(grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$' "$OUT")" -eq 2 ] || fail "expected 2 timestamped summaries"
[ "$(grep -c '^Detaching\.\.\.$' "$OUT")" -eq 1 ] || fail "expected one Detaching..."

# 6. Kernel functions need kprobes.
if [ "$(feature kprobe)" = yes ]; then
	start_fresh stackcount vfs_read
	wait_ready
	for i in 1 2 3; do cat /proc/self/stat >/dev/null; done
	stop
	expect_header 'Tracing 1 functions for "vfs_read"... Hit Ctrl-C to end.'
	[ "$(count_of '^vfs_read,')" -gt 0 ] || fail "no stack starting in vfs_read"
	KERNEL="vfs_read stacks counted"
else
	"$BCCT" stackcount vfs_read >"$OUT" 2>"$ERR"
	rc=$?
	[ "$rc" -eq 1 ] || fail "kernel function without kprobes exited with $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "refusal is not one line"
	if [ "$(feature fentry)" = no ]; then
		expect_err '^stackcount: kernel functions need kprobes or fentry, which this kernel lacks \(.*\); tracepoints \(t:\), user functions and USDT work$'
	else
		expect_err '^stackcount: kernel functions need kprobes, which this kernel lacks'
	fi
	KERNEL="kernel functions refused (no kprobes)"
fi

# Usage errors: exit 2.
"$BCCT" stackcount -K -U t:sched:sched_switch >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "-K -U not a usage error"
expect_err '-K and -U are mutually exclusive'
pass "uprobe user stacks (with the uprobe's caller), tracepoint user stacks, -d, -f, -K/-P kernel stacks, intervals, $KERNEL"

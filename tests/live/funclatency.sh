#!/bin/sh
# funclatency: a static workload's bcct_fl_sleep_ms() timed by uprobe + uretprobe: 20 ms sleeps
# land in the 16 -> 31 msecs bucket (-m), 3 ms sleeps in 2048 -> 4095 usecs (-u, with -r), with
# BCC's avg line; -F gives one "Function = NAME [PID]" histogram per function with exact call
# counts; user functions traced in every process are keyed by process as BCC does; kernel
# functions: the one-line refusal without kprobes/fentry, a histogram of vfs_read with fentry/fexit
# where the kernel has them (else kprobes), of vfs_read* with kprobes.
. "$(dirname "$0")/lib.sh"
# start() empties $ERR in the background child: on a slow machine wait_ready could still see the
# previous run's "attached N links". Empty both files first.
start_fresh() { : >"$OUT"; : >"$ERR"; start "$@"; }
need_workload funclat_target
N=5
NFAST=20
feature() { "$BCCT" features | awk -v f="$1" '$1 == f { print $2 }'; }
# Kernels before 5.15 have no attach cookies: one function per spec there.
COOKIE=$(feature attach_cookie)

# bucket LOW HIGH: the count of the histogram row "LOW -> HIGH" (summed over sections).
bucket() {
	awk -v lo="$1" -v hi="$2" '$1 == lo && $2 == "->" && $3 == hi && $4 == ":" { c += $5 } END { print c + 0 }' "$OUT"
}
# below LOW: the count of histogram rows under LOW (a sleep is never shorter than asked).
below() {
	awk -v lo="$1" '$2 == "->" && $4 == ":" && $3 < lo { c += $5 } END { print c + 0 }' "$OUT"
}
# in_bucket LOW HIGH UNIT: every call at or above LOW, and most (all but 2: scheduling delays on
# a busy machine push a sleep into the next bucket) in LOW -> HIGH. Not the latter in the VM
# guests ($BCCT_VM), whose emulated clocks stretch a 3 ms sleep to anything up to 30 ms.
in_bucket() {
	[ "$(below "$1")" -eq 0 ] || fail "$(below "$1") calls under $1 $3"
	[ -n "${BCCT_VM:-}" ] || [ "$(bucket "$1" "$2")" -ge $((N - 2)) ] ||
		fail "$1 -> $2 $3 holds $(bucket "$1" "$2") of $N calls"
}
# hist_total: the sum of all histogram rows from line $1 to the next blank line.
section_total() {
	awk -v from="$1" 'NR > from && /^$/ { exit } NR > from && $2 == "->" { c += $5 } END { print c + 0 }' "$OUT"
}

# Runs the workload (SLEEP_MS, calls) under funclatency ARGS... -p PID with TARGET as pattern.
run_timed() {
	ms=$1; target=$2; shift 2
	rm -f "$TMPD/go"
	"$WORKLOADS/funclat_target" "$TMPD/go" "$ms" "$N" "$NFAST" &
	WPID=$!
	start_fresh funclatency "$@" -p "$WPID" "$WORKLOADS/funclat_target:$target"
	wait_ready
	touch "$TMPD/go"
	wait "$WPID"
	stop
}

# -m: 20 ms sleeps: 16 -> 31 msecs.
run_timed 20 bcct_fl_sleep_ms -m
expect_header "Tracing 1 functions for \"$WORKLOADS/funclat_target:bcct_fl_sleep_ms\"... Hit Ctrl-C to end."
expect_header "     msecs               : count     distribution"
in_bucket 16 31 msecs
expect "^avg = [0-9]+ msecs, total: [0-9]+ msecs, count: $N$"
expect "^Detaching\.\.\.$"
expect_not "^Function = "

# -u with a regular expression: 3 ms sleeps.
run_timed 3 'bcct_fl_sl.*' -u -r
expect_header "     usecs               : count     distribution"
in_bucket 2048 4095 usecs
expect "^avg = [0-9]+ usecs, total: [0-9]+ usecs, count: $N$"

# -F: one histogram per function, labelled with the process, exact call counts.
if [ "$COOKIE" = no ]; then
	run_timed 1 'bcct_fl_fast' -F -u
	FUNCS=bcct_fl_fast:$NFAST
	TOTAL=$NFAST
else
	run_timed 1 'bcct_fl_*' -F -u
	FUNCS="bcct_fl_sleep_ms:$N bcct_fl_fast:$NFAST"
	TOTAL=$((N + NFAST))
	expect_header "Tracing 2 functions for \"$WORKLOADS/funclat_target:bcct_fl_*\"... Hit Ctrl-C to end."
fi
for f in $FUNCS; do
	name=${f%:*}
	want=${f#*:}
	line=$(grep -n "^Function = $name \[$WPID\]$" "$OUT" | cut -d: -f1)
	[ -n "$line" ] || fail "no section for $name [$WPID]"
	[ "$(section_total "$line")" -eq "$want" ] || fail "$name timed $(section_total "$line") times, expected $want"
done
expect "^avg = [0-9]+ usecs, total: [0-9]+ usecs, count: $TOTAL$"

# User functions in every process (no -p): BCC keys them by process. A private copy of the
# workload, so that no other run is timed.
cp "$WORKLOADS/funclat_target" "$TMPD/funclat_target"
rm -f "$TMPD/go"
start_fresh funclatency -m "$TMPD/funclat_target:bcct_fl_sleep_ms"
wait_ready
"$TMPD/funclat_target" "$TMPD/go" 20 2 0 &
WPID=$!
touch "$TMPD/go"
wait "$WPID"
stop
expect "^Function = bcct_fl_sleep_ms \[$WPID\]$"
[ "$(below 16)" -eq 0 ] || fail "a 20 ms sleep timed under 16 msecs"
[ -n "${BCCT_VM:-}" ] || [ "$(bucket 16 31)" -ge 1 ] || fail "no 20 ms sleep in 16 -> 31 msecs"
expect "^avg = [0-9]+ msecs, total: [0-9]+ msecs, count: 2$"

# -l: three nested calls of one function (30, 20 and 10 ms). Without -l, BCC keeps one start
# time per thread: the innermost call overwrites it and only that call is timed; -l 3 times all
# three, -l 2 the outer two.
if [ -x "$WORKLOADS/funclat_nest" ]; then
	for case in :1 "-l 3:3" "-l 2:2"; do
		level=${case%:*}
		want=${case#*:}
		rm -f "$TMPD/go"
		"$WORKLOADS/funclat_nest" "$TMPD/go" 3 &
		WPID=$!
		# shellcheck disable=SC2086
		start_fresh funclatency -m $level -p "$WPID" "$WORKLOADS/funclat_nest:bcct_fl_nest"
		wait_ready
		touch "$TMPD/go"
		wait "$WPID"
		stop
		expect "^avg = [0-9]+ msecs, total: [0-9]+ msecs, count: $want$"
		[ "$(below 8)" -eq 0 ] || fail "funclatency -m $level: a nested call under 8 ms"
	done
	[ "$(below 16)" -eq 0 ] || fail "-l 2 timed the inner 10 ms call, not only the outer two"
fi

# Kernel functions: one alone with fentry/fexit where the kernel has them, else kprobes; a pattern
# matching several with kprobes.
FENTRY=no
[ "$(feature fentry)" = yes ] && [ "$(feature fexit)" = yes ] && FENTRY=yes
if [ "$FENTRY" = yes ] || [ "$(feature kprobe)" = yes ]; then
	start_fresh funclatency -u vfs_read
	wait_ready
	for i in 1 2 3; do cat /proc/self/stat >/dev/null; done
	stop
	expect_header "     usecs               : count     distribution"
	expect "^avg = [0-9]+ usecs, total: [0-9]+ usecs, count: [1-9][0-9]*$"
	if [ "$FENTRY" = yes ]; then
		expect_err "probe entry: fentry "
		expect_err "probe return: fexit "
		KERNEL="vfs_read timed with fentry/fexit"
	else
		expect_err "probe entry: kprobe "
		expect_err "probe return: kretprobe "
		KERNEL="vfs_read timed with kprobes"
	fi
	# Several kernel functions: told apart by attach cookie, or without cookies (before 5.15)
	# by the kprobe's address named from kallsyms, as BCC; one histogram needs neither.
	if [ "$(feature kprobe)" = yes ]; then
		start_fresh funclatency -u -F 'vfs_read*'
		wait_ready
		for i in 1 2 3; do cat /proc/self/stat >/dev/null; done
		stop
		expect "^Function = vfs_read$"
		expect_not "^Function = \[unknown\]$"
		expect_err "probe entry: kprobe "
		[ "$COOKIE" = yes ] || expect_err "told apart by instruction pointer"
		start_fresh funclatency -u 'vfs_read*'
		wait_ready
		for i in 1 2 3; do cat /proc/self/stat >/dev/null; done
		stop
		expect "^avg = [0-9]+ usecs, total: [0-9]+ usecs, count: [1-9][0-9]*$"
		expect_not "^Function = "
		KERNEL="$KERNEL; vfs_read* with kprobes (attach cookies: $COOKIE)"
	fi
else
	"$BCCT" funclatency vfs_read >"$OUT" 2>"$ERR"
	rc=$?
	[ "$rc" -eq 1 ] || fail "kernel function without kprobes exited with $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "refusal is not one line"
	expect_err '^funclatency: kernel functions need kprobes'
	KERNEL="kernel functions refused (no kprobes, no fentry)"
fi

# Specs funclatency cannot time: one line and a caret, exit 2.
"$BCCT" funclatency 't:sched:sched_switch' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "tracepoint spec not a usage error"
expect_err 'tracepoints \(t:\) are not supported by funclatency'
pass "$KERNEL"

#!/bin/sh
# funcslower: a static workload's bcct_fs_work(ms, tag, extra) timed by uprobe + uretprobe, called
# NSLOW times with 50 ms sleeps and NFAST times with 5 ms sleeps: -m 20 shows only the slow calls
# (exact count, LAT >= 50 ms, RVAL = ms + tag + extra, -a 3 the arguments passed), -u 1000 every
# call in microseconds; -U prints the user stack under each call, -f folded; -t/-T time columns;
# kernel functions: the one-line refusal without kprobes/fentry; vfs_read alone with fentry/fexit
# where the kernel has them (else kprobes), its arguments and return value; two functions with kprobes.
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
need_workload funcslower_target
NSLOW=3
NFAST=4
feature() { "$BCCT" features | awk -v f="$1" '$1 == f { print $2 }'; }
SPEC="$WORKLOADS/funcslower_target:bcct_fs_work"

# Runs the workload under funcslower ARGS... -p PID SPEC; funcslower is stopped while the
# workload still runs (user stacks are symbolized from /proc/PID), then the workload ends.
run_slow() {
	rm -f "$TMPD/go" "$TMPD/go.done"
	"$WORKLOADS/funcslower_target" "$TMPD/go" "$NSLOW" "$NFAST" &
	WPID=$!
	start_fresh funcslower "$@" -p "$WPID" "$SPEC"
	wait_ready
	touch "$TMPD/go"
	wait_done
	stop
	rm -f "$TMPD/go"
	wait "$WPID"
}
# rows REGEX: the number of event lines matching REGEX.
rows() { grep -Ec -- "$1" "$OUT"; }
SLOW="^funcslower_tar +[0-9]+ +[0-9.]+ +bf28 $SPEC"
FAST="^funcslower_tar +[0-9]+ +[0-9.]+ +f015 $SPEC"

# -m 20 -a 3: the slow calls only, with their arguments (50, 0xbeef, 7) and return value.
run_slow -m 20 -a 3
expect_header "Tracing function calls slower than 20 ms... Ctrl+C to quit."
expect_header "COMM           PID    LAT(ms)             RVAL FUNC ARGS"
[ "$(rows "$SLOW 0x32 0xbeef 0x7$")" -eq "$NSLOW" ] || fail "-m 20: $(rows "$SLOW") slow calls, expected $NSLOW"
[ "$(rows "$FAST")" -eq 0 ] || fail "-m 20: fast calls shown"
expect "^funcslower_tar $WPID "
awk -v re="$SLOW" '$0 ~ re && $3 < 50 { exit 1 }' "$OUT" || fail "a 50 ms call with LAT under 50 ms"

# -u 1000: every call, in microseconds; no ARGS column without -a.
run_slow -u 1000
expect_header "Tracing function calls slower than 1000 us... Ctrl+C to quit."
expect_header "COMM           PID    LAT(us)             RVAL FUNC"
[ "$(rows "$SLOW")" -eq "$NSLOW" ] || fail "-u 1000: $(rows "$SLOW") slow calls, expected $NSLOW"
[ "$(rows "$FAST")" -eq "$NFAST" ] || fail "-u 1000: $(rows "$FAST") fast calls, expected $NFAST"
awk -v re="$FAST" '$0 ~ re && $3 < 5000 { exit 1 }' "$OUT" || fail "a 5 ms call with LAT under 5000 us"
awk -v re="$SLOW" '$0 ~ re && $3 < 50000 { exit 1 }' "$OUT" || fail "a 50 ms call with LAT under 50000 us"
expect_not "0xbeef"

# -U -t: the user stack under each event, taken at the entry as BCC does (the function, its
# caller, then main); TIME in seconds since the first call.
run_slow -m 20 -U -t
expect_header "TIME       COMM           PID    LAT(ms)             RVAL FUNC"
expect "^0\.000000 +funcslower_tar "
[ "$(awk -v re="^[0-9.]+ +$(echo "$SLOW" | cut -c2-)" '$0 ~ re { getline f; getline a; getline b; if (f == "    bcct_fs_work" && a == "    bcct_fs_caller" && b == "    main") n++ } END { print n + 0 }' "$OUT")" -eq "$NSLOW" ] ||
	fail "-U: not every slow call has bcct_fs_work, bcct_fs_caller, main under it"

# -f -U: folded stacks only, one line per call, no banner or header.
run_slow -m 20 -f -U
expect_not "^Tracing"
expect_not "^COMM"
# Folded lines carry no latency: under emulation (the VM guests) a 5 ms call can take over
# 20 ms, so at least NSLOW lines, every one of them that stack.
[ "$(grep -Ec '^funcslower_targ;(.*;)?main;bcct_fs_caller;bcct_fs_work 1$' "$OUT")" -ge "$NSLOW" ] &&
	[ "$(grep -Evc '^funcslower_targ;(.*;)?main;bcct_fs_caller;bcct_fs_work 1$' "$OUT")" -eq 0 ] ||
	fail "-f -U: expected $NSLOW folded stacks"

# -T: HH:MM:SS.
run_slow -m 20 -T
expect "^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] +funcslower_tar +$WPID "

# Kernel functions: one alone with fentry/fexit where the kernel has them, else kprobes. dd's
# read of 777 bytes shows its third argument and its return value, 0x309, either way.
FENTRY=no
[ "$(feature fentry)" = yes ] && [ "$(feature fexit)" = yes ] && FENTRY=yes
if [ "$FENTRY" = yes ] || [ "$(feature kprobe)" = yes ]; then
	head -c 4096 /dev/zero >"$TMPD/data"
	start_fresh funcslower -m 0 -a 3 vfs_read
	wait_ready
	dd if="$TMPD/data" of=/dev/null bs=777 count=1 2>/dev/null
	for i in 1 2 3; do cat /proc/self/stat >/dev/null; done
	stop
	expect_header "Tracing function calls slower than 0 ms... Ctrl+C to quit."
	expect "^dd +[0-9]+ +[0-9.]+ +309 vfs_read 0x[0-9a-f]+ 0x[0-9a-f]+ 0x309$"
	if [ "$FENTRY" = yes ]; then
		expect_err "probe entry: fentry "
		expect_err "probe return: fexit "
		KERNEL="vfs_read with fentry/fexit"
	else
		expect_err "probe entry: kprobe "
		expect_err "probe return: kretprobe "
		KERNEL="vfs_read with kprobes"
	fi
	# Two functions: kprobes (fentry serves one alone). --comm dd: every write of funcslower's
	# own output would be an event, and its printing another write.
	if [ "$(feature kprobe)" = yes ] && [ "$(feature attach_cookie)" = yes ]; then
		start_fresh funcslower -m 0 --comm dd vfs_read vfs_write
		wait_ready
		dd if="$TMPD/data" of="$TMPD/copy" bs=777 count=1 2>/dev/null
		stop
		expect "^dd +[0-9]+ +[0-9.]+ +309 vfs_read$"
		expect "^dd +[0-9]+ +[0-9.]+ +309 vfs_write$"
		expect_err "probe entry: kprobe "
		KERNEL="$KERNEL; vfs_read vfs_write with kprobes"
	fi
else
	"$BCCT" funcslower vfs_read >"$OUT" 2>"$ERR"
	rc=$?
	[ "$rc" -eq 1 ] || fail "kernel function without kprobes exited with $rc, expected 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "refusal is not one line"
	expect_err '^funcslower: kernel functions need kprobes'
	KERNEL="kernel functions refused (no kprobes, no fentry)"
fi

# Usage errors: exit 2.
"$BCCT" funcslower >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "no function not a usage error"
"$BCCT" funcslower 't:sched:sched_switch' >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "tracepoint spec not a usage error"
expect_err 'tracepoints \(t:\) are not supported by funcslower'
pass "user function: -m/-u thresholds, -a, -U, -f, -t/-T; $KERNEL"

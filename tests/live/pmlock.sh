#!/bin/sh
# pmlock, pmheld: a workload (tests/workloads/pmutex_target.c contend) holds its marker mutex
# bcct_pm_mutex_c_q7 for 20 ms in bcct_pm_holder_q7 while bcct_pm_waiter_q7, in another thread,
# waits for it, 5 times. pmlock must show, for that mutex named by its variable, the waiter's
# stack (pthread_mutex_lock called from bcct_pm_waiter_q7) with exactly 5 waits in the log2
# bucket 16777216 -> 33554431 ns (later ones if the
# machine is busy); pmheld (pmlock --held) the holder's unlock stack with 5 holds
# there. Then --json, and the static workload's own pthread functions vs the dynamic one's
# libc.so.6 (host only); option errors.
. "$(dirname "$0")/lib.sh"
need_workload pmutex_target
STATIC="$WORKLOADS/pmutex_target"
DYNAMIC="$(dirname "$WORKLOADS")/workloads-dynamic/pmutex_target"

# run_on BIN APPLET ARGS...: the workload's 5 rounds under the applet, stopped after them.
run_on() {
	bin=$1; shift
	rm -f "$TMPD/go" "$TMPD/go.done"
	"$bin" contend "$TMPD/go" & WPID=$!
	start "$@" "$WPID"
	wait_ready
	touch "$TMPD/go"
	n=300
	while [ ! -e "$TMPD/go.done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$TMPD/go.done" ] || fail "workload did not finish its calls"
	stop
	rm -f "$TMPD/go"
	wait "$WPID"
}

# block FUNC: the histogram block (from its "  mutex:" line to the blank line after the
# histogram) of the marker mutex whose stack holds FUNC.
block() {
	awk -v f="  $1" '
	/^  mutex: / { if (keep) exit; b = ""; keep = 0; inb = 1 }
	inb { b = b $0 "\n" }
	inb && $0 == f && b ~ /^  mutex: bcct_pm_mutex_c_q7\n/ { keep = 1 }
	inb && /^$/ && b ~ /distribution/ { if (keep) { printf "%s", b; exit } inb = 0 }
	' "$OUT"
}

# expect_hist FUNC LOCKFN: 5 in the 16-32 ms bucket, the stack LOCKFN, FUNC; the workload's name and pid.
expect_hist() {
	b=$(block "$1")
	[ -n "$b" ] || fail "no histogram of bcct_pm_mutex_c_q7 with $1 in its stack"
	printf '%s\n' "$b" | grep -q "^  $2\$" || fail "$1's stack does not begin with $2: $b"
	printf '%s\n' "$b" | grep -q "^    pmutex_target \\[$WPID\\]\$" || fail "no 'pmutex_target [$WPID]' in: $b"
	# 20 ms and more: 16777216 -> 33554431 unless the machine is busy enough to oversleep
	[ "$(printf '%s\n' "$b" | awk -F: '/ -> / { split($1, r, " "); if (r[1] >= 16777216) n += $2 } END { print n + 0 }')" -eq 5 ] ||
		fail "expected 5 of 16 ms (16777216 ns) and more: $b"
	printf '%s\n' "$b" | grep -Eq '^ +16777216 -> 33554431 +: [1-5] +\|\*+ *\|$' ||
		fail "expected the 20 ms ones in 16777216 -> 33554431: $b"
	[ "$(printf '%s\n' "$b" | awk -F: '/ -> / { n += $2 } END { print n }')" -eq 5 ] ||
		fail "expected 5 in all: $b"
}

run_on "$STATIC" pmlock
expect "^Tracing pthread mutex lock wait times of PID $WPID\\.\\.\\. Hit Ctrl-C to end\\.$"
expect_hist bcct_pm_waiter_q7 pthread_mutex_lock
expect_err "lock functions in .*pmutex_target"

run_on "$STATIC" pmheld
expect "^Tracing pthread mutex hold times of PID $WPID\\.\\.\\. Hit Ctrl-C to end\\.$"
expect_hist bcct_pm_holder_q7 pthread_mutex_unlock

if [ -z "${BCCT_VM:-}" ] && [ -x "$DYNAMIC" ]; then
	run_on "$DYNAMIC" pmlock
	expect_hist bcct_pm_waiter_q7 pthread_mutex_lock
	expect_err "lock functions in .*libc\\.so"
fi

run_on "$STATIC" pmlock --json
grep -q '"mutex":"bcct_pm_mutex_c_q7","kernel_stack":\[\],"user_stack":\["pthread_mutex_lock","bcct_pm_waiter_q7"' "$OUT" ||
	fail "--json: no histogram of the marker mutex with the waiter's stack"

"$BCCT" pmheld >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "no PID: exit $rc, want 2 and one line"
"$BCCT" pmlock --held 4194304 >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "no such process: exit $rc, want 1 and one line: $(cat "$ERR")"
pass "lock waits and hold times of the marker mutex by stack, static and libc, --json"

#!/bin/sh
# deadlock: a workload (tests/workloads/pmutex_target.c inversion) locks two named mutexes in
# both orders from two marker functions, in two threads it creates one after the other (so it
# never really deadlocks). deadlock must report the cycle in BCC's words, with both mutexes named
# by their variables (zero-initialised: in .bss), the stacks through pthread_mutex_lock to the
# marker functions, where each thread was created (bcct_pm_spawn_q7), dump the graph, and exit 1
# by itself as BCC does. The static workload carries its own pthread_mutex_lock (found in the
# executable); the dynamic one locks through libc.so.6 (the default library; host only). A run
# without inversion (contend) reports nothing; --json; option errors.
. "$(dirname "$0")/lib.sh"
need_workload pmutex_target
STATIC="$WORKLOADS/pmutex_target"
DYNAMIC="$(dirname "$WORKLOADS")/workloads-dynamic/pmutex_target"
HEX='0x[0-9a-f]{16}'
M='bcct_pm_mutex_[ab]_q7'

# Runs deadlock ARGS... WPID on BIN MODE; waits for the workload's calls, then for deadlock to
# end by itself (inversion: status 1) or stops it (contend). Sets RC.
run_on() {
	bin=$1 mode=$2; shift 2
	rm -f "$TMPD/go" "$TMPD/go.done"
	"$bin" "$mode" "$TMPD/go" & WPID=$!
	start deadlock "$@" "$WPID"
	wait_ready
	touch "$TMPD/go"
	n=300
	while [ ! -e "$TMPD/go.done" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$TMPD/go.done" ] || fail "workload did not finish its calls"
	if [ "$mode" = contend ]; then
		sleep 1.5
		stop
		RC=0
	else
		n=100
		while kill -0 "$APID" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
		kill -0 "$APID" 2>/dev/null && fail "deadlock did not end after the inversion"
		wait "$APID"; RC=$?
		APID=
	fi
	rm -f "$TMPD/go"
	wait "$WPID"
}

expect_report() {
	[ "$RC" -eq 1 ] || fail "exit status $RC after a report, expected 1 (BCC's)"
	expect '^Tracing\.\.\. Hit Ctrl-C to end\.$'
	expect '^----------------$'
	expect '^Potential Deadlock Detected!$'
	expect "^Cycle in lock order graph: Mutex M0 \\($M $HEX\\) => Mutex M1 \\($M $HEX\\) => Mutex M0 \\($M $HEX\\)$"
	expect "Mutex M[01] \\(bcct_pm_mutex_a_q7 $HEX\\)"
	expect "Mutex M[01] \\(bcct_pm_mutex_b_q7 $HEX\\)"
	expect "^Mutex M1 \\($M $HEX\\) acquired here while holding Mutex M0 \\($M $HEX\\) in Thread [0-9]+ \\(pmutex_target\\):$"
	expect "^Mutex M0 \\($M $HEX\\) acquired here while holding Mutex M1 \\($M $HEX\\) in Thread [0-9]+ \\(pmutex_target\\):$"
	expect "^Mutex M0 \\($M $HEX\\) previously acquired by the same Thread [0-9]+ \\(pmutex_target\\) here:$"
	expect '^@ [0-9a-f]{16} pthread_mutex_lock$'
	expect '^@ [0-9a-f]{16} bcct_pm_lock_ab_q7$'
	expect '^@ [0-9a-f]{16} bcct_pm_lock_ba_q7$'
	expect "^Thread [0-9]+ created by Thread $WPID \\(pmutex_target\\) here: $"
	expect '^@ [0-9a-f]{16} bcct_pm_spawn_q7$'
	[ "$(grep -c 'created by Thread' "$OUT")" -eq 2 ] || fail "expected where both threads were created"
}

run_on "$STATIC" inversion --dump-graph "$TMPD/graph.json" --verbose
expect_report
expect '^Mutexes: 2, Edges: 2$'
expect_err "lock functions in .*pmutex_target"
grep -q '"thread_comm": "pmutex_target"' "$TMPD/graph.json" || fail "--dump-graph: no links in $(cat "$TMPD/graph.json")"
[ "$(grep -c '"id": ' "$TMPD/graph.json")" -eq 2 ] || fail "--dump-graph: expected 2 nodes"

if [ -z "${BCCT_VM:-}" ] && [ -x "$DYNAMIC" ]; then
	run_on "$DYNAMIC" inversion
	expect_report
	expect_err "lock functions in .*libc\\.so"
fi

# No inversion: one mutex, contended; nothing to report.
run_on "$STATIC" contend --verbose
expect '^Mutexes: 0, Edges: 0$'
expect_not 'Potential Deadlock'

# --json: the stats each second, then the report's arrays.
run_on "$STATIC" inversion --json
grep -q '"cycle":\[{"mutex":"M0","addr":[0-9]*,"symbol":"bcct_pm_mutex_' "$OUT" || fail "--json: no cycle"
grep -q '"symbol":"bcct_pm_mutex_a_q7"' "$OUT" || fail "--json: mutex a not named"
grep -q '"acquired_stack":\["pthread_mutex_lock","bcct_pm_lock_' "$OUT" || fail "--json: no stacks"
grep -q '"parent_tid":'"$WPID"',' "$OUT" || fail "--json: no thread parents"

"$BCCT" deadlock >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "no pid: exit $rc, want 2 and one line"
"$BCCT" deadlock 4194304 >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "no such process: exit $rc, want 1 and one line: $(cat "$ERR")"
pass "cycle with both mutexes and marker stacks, thread origins, --dump-graph, --verbose, libc, --json"

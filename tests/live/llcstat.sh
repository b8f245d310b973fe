#!/bin/sh
# llcstat: hardware cache-references and cache-misses per process and CPU. Without a hardware
# PMU (`bcct features`: perf_hw no, most virtual machines) it must refuse before printing
# anything, one line on stderr saying there is no hardware PMU, exit 1. With one: a cache-hungry
# workload run under a marker name shows in the table with references, and the totals line; a PMU
# without the cache events is refused in one line as well.
. "$(dirname "$0")/lib.sh"
if [ "$(feature perf_hw)" != yes ]; then
	"$BCCT" llcstat 1 >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 1 ] || fail "exit status $rc without a hardware PMU, want 1"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "the refusal is not one line"
	expect_err '^llcstat: .*no hardware PMU \(event sources: [a-z]'
	[ ! -s "$OUT" ] || fail "printed on stdout before refusing"
	"$BCCT" llcstat -c 0 >"$OUT" 2>"$ERR"; rc=$?
	[ "$rc" -eq 2 ] || fail "-c 0: exit $rc, want 2"
	pass "refused in one line: no hardware PMU here"
fi
# A PMU that counts no cache events (qemu's emulated arm64 PMUv3): one line naming the event.
"$BCCT" llcstat 1 >"$OUT" 2>"$ERR"; rc=$?
if [ "$rc" -eq 1 ]; then
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "the refusal is not one line"
	expect_err '^llcstat: cannot trace cache_(misses|references) on this kernel: '
	pass "refused in one line: this PMU counts no cache events"
fi
need_workload cpuhog
NAME="llc$$"
cp "$WORKLOADS/cpuhog" "$TMPD/$NAME"
start llcstat -c 1000 3
wait_ready
"$TMPD/$NAME" 2 >/dev/null
wait_exit 20
expect_header "PID      NAME             CPU     REFERENCE         MISS    HIT%"
expect "^[0-9]+ +$NAME +[0-9]+ +[1-9][0-9]* +[0-9]+ +[0-9]+\\.[0-9]{2}%$"
expect '^Total References: [1-9][0-9]* Total Misses: [0-9]+ Hit Rate: [0-9]+\.[0-9]{2}%$'
pass "cache references of a marker process"

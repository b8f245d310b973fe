#!/bin/sh
# uthreads: -l c on workloads-dynamic/threads (4 threads of bcct_ts_worker_q5, started once the
# go file exists): 4 "pthread" lines with the new threads' ids and the start routine named;
# javathreads on the java fixture (hotspot's thread__start/stop: name with its length, java id,
# native id) prints the start and the stop with "R=7/N=TID"; --json keeps the ids as numbers.
. "$(dirname "$0")/lib.sh"
DYN="$(dirname "$WORKLOADS")/workloads-dynamic/threads"
[ -x "$DYN" ] || skip "workload workloads-dynamic/threads not built"
. "$(dirname "$0")/_lib_fixture.sh"

rm -f "$TMPD/go"
"$DYN" 4 500 "$TMPD/go" & WPID=$!
sleep 0.2
start uthreads -l c "$WPID"
wait_ready
touch "$TMPD/go"; wait "$WPID"
stop
expect "^Tracing thread events in process $WPID \(language: c\)\.\.\. Ctrl-C to quit\.$"
expect_header "TIME     ID               TYPE     DESCRIPTION"
n=$(grep -Ec "^[0-9]+\.[0-9]{3} +[0-9]+ +pthread +bcct_ts_worker_q5 \[threads\] *$" "$OUT")
[ "$n" -eq 4 ] || fail "expected 4 pthread lines, got $n"
line=$(grep -m1 "pthread" "$OUT"); set -- $line
[ "$line" = "$(printf '%-8s %-16s %-8s %-30s' "$1" "$2" "$3" "$4 $5")" ] ||
	fail "the row is not BCC's %-8.3f %-16s %-8s %-30s: '$line'"
grep -E "pthread" "$OUT" | awk '{ print $2 }' | grep -qx "$WPID" && fail "a thread id is the creator's"
# pthread_create's uprobes as uprobe_multi links where the kernel has them (released together at
# exit; perf-event uprobes take about 100 ms each: bench/ctrlc).
[ "$(feature uprobe_multi)" = yes ] && expect_err "uprobes: uprobe_multi links"

go_fixture java 1 javathreads
expect "^[0-9]+\.[0-9]{3} +R=7/N=$FPID +start +bcct-worker *$"
expect "^[0-9]+\.[0-9]{3} +R=7/N=$FPID +stop +bcct-worker *$"

go_fixture java 1 uthreads -l java --json
expect "^\{\"ts\":\"[^\"]+\",\"ts_ns\":[0-9]+,\"time_s\":[0-9.e-]+,\"runtime_id\":7,\"native_id\":$FPID,\"type\":\"start\",\"description\":\"bcct-worker\"\}$"
pass

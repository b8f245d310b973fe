#!/bin/sh
# runqlat: run-queue latency histogram while CPU hogs compete; -P sections name the hog.
. "$(dirname "$0")/lib.sh"
need_workload cpuhog
cp "$WORKLOADS/cpuhog" "$TMPD/$MARKER"
# Three hogs on two CPUs for 3 s, started once the probes are attached (attaching takes seconds
# in an emulated guest): each waits on the run queue.
start runqlat -P 1 2
wait_ready
for i in 1 2 3; do "$TMPD/$MARKER" 3 >/dev/null & done
wait_exit 15
wait
expect_header "Tracing run queue latency... Hit Ctrl-C to end."
expect "^pid = [0-9]+ ${MARKER%${MARKER#???????????????}}"
expect "^ +usecs +: count +distribution$"
expect "^ +[0-9]+ -> [0-9]+ +: [1-9][0-9]* +\|\*+ *\|$"

# Interval mode with -m and a timestamp line, and the pid filter.
"$TMPD/$MARKER" 2 >/dev/null &
hog=$!
start runqlat -mT -p "$hog" 1 1
wait_exit 10
wait
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"
expect "^ +msecs +: count +distribution$"
pass

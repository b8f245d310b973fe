#!/bin/sh
# runqlat: run-queue latency histogram while CPU hogs compete; -P and -L sections are labelled
# "pid = N" / "tid = N" as BCC's (section_print_fn=int: no comm).
. "$(dirname "$0")/lib.sh"
need_workload cpuhog
cp "$WORKLOADS/cpuhog" "$TMPD/$MARKER"
# Three hogs on two CPUs for 3 s, started once the probes are attached (attaching takes seconds
# in an emulated guest): each waits on the run queue.
start runqlat -P 1 2
wait_ready
hogs=
for i in 1 2 3; do "$TMPD/$MARKER" 3 >/dev/null & hogs="$hogs${hogs:+|}$!"; done
wait_exit 15
wait
expect_header "Tracing run queue latency... Hit Ctrl-C to end."
expect "^pid = ($hogs)$"
expect_not "^pid = [0-9]+ "
expect "^ +usecs +: count +distribution$"
expect "^ +[0-9]+ -> [0-9]+ +: [1-9][0-9]* +\|\*+ *\|$"

start runqlat -L 1 2
wait_ready
hogs=
for i in 1 2 3; do "$TMPD/$MARKER" 3 >/dev/null & hogs="$hogs${hogs:+|}$!"; done
wait_exit 15
wait
expect "^tid = ($hogs)$"
expect_not "^tid = [0-9]+ "

# Interval mode with -m and a timestamp line, and the pid filter: three intervals while the
# filtered hog competes with two others (at least one interval holds its waits, however long
# attaching takes in an emulated guest).
"$TMPD/$MARKER" 10 >/dev/null &
hog=$!
"$TMPD/$MARKER" 10 >/dev/null &
h2=$!
"$TMPD/$MARKER" 10 >/dev/null &
h3=$!
start runqlat -mT -p "$hog" 1 3
wait_exit 20
kill "$hog" "$h2" "$h3" 2>/dev/null
wait
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"
expect "^ +msecs +: count +distribution$"
pass

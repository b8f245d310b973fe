#!/bin/sh
# cpudist: a marker-named workload alternates 2 ms of spinning with 3 ms of sleep. With -p its
# on-CPU histogram must hold slices of a millisecond or more (and -e the average line); -P must
# label its section "pid = PID COMM"; -O -L -m must show its millisecond sleeps off-CPU in a
# "tid = PID" section.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_hog.sh"

"$HOG" -r 2000 -s 3000 60 &
HPID=$!

# trace ARGS...: two seconds of cpudist with ARGS.
trace() {
	start cpudist "$@"
	wait_ready
	sleep 2
	stop
}

trace -p "$HPID" -e
expect_header "Tracing on-CPU time... Hit Ctrl-C to end."
expect_header "     usecs               : count     distribution"
# a row "512 -> 1023", "1024 -> 2047", ... with a count: the spins
expect "^ +[0-9]{3,} -> [0-9]+ +: [1-9]"
expect "^avg = [0-9]+ usecs, total: [0-9]+ usecs, count: [1-9][0-9]*$"

trace -P -p "$HPID"
expect "^pid = $HPID $COMM$"
expect "^ +[0-9]+ -> [0-9]+ +: [1-9]"

trace -O -L -m -p "$HPID"
expect_header "Tracing off-CPU time... Hit Ctrl-C to end."
expect_header "     msecs               : count     distribution"
expect "^tid = $HPID $COMM$"
# the 3 ms sleeps: "2 -> 3" or "4 -> 7" has a count
expect "^ +[24] -> [37] +: [1-9]"
pass

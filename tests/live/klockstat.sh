#!/bin/sh
# klockstat: four threads of a marker process write to and read from one pipe at once, so the
# pipe's mutex is contended: the waits are counted under their callers (the pipe's read and
# write), in BCC's columns, with -s 3 two more frames under each; -c keeps the callers
# containing a string, -p the marker's waits; hold times are said to need kprobes (stderr) and
# their table stays empty. Waits come from lock:contention_begin/end (5.19+), which fire for
# contended acquisitions only.
. "$(dirname "$0")/lib.sh"
need_workload pipe_contend
# tplist mounts tracefs where it is not (the VM guests boot without it).
"$BCCT" tplist 'lock:contention_begin' 2>/dev/null | grep -qx 'lock:contention_begin' ||
	skip "no lock:contention_begin/end tracepoints (5.19+)"
[ "$(ncpus)" -ge 2 ] || skip "one CPU: the pipe's mutex is rarely contended"

"$WORKLOADS/pipe_contend" 120 &
W=$!
trap 'kill $W 2>/dev/null; cleanup' EXIT

start klockstat -p "$W" -s 3
wait_ready
sleep 1.5
stop
expect_header "Tracing lock events... Hit Ctrl-C to end."
expect_header "                                  Caller   Avg Spin  Count   Max spin Total spin"
expect_header "                                  Caller   Avg Hold  Count   Max hold Total hold"
expect "^ +(anon_)?pipe_(read|write)\+0x[0-9a-f]+ +[0-9]+ +[1-9][0-9]* +[0-9]+ +[0-9]+$"
expect "^ +vfs_(read|write)\+0x[0-9a-f]+$"
expect_err "hold times need kprobes or fentry"
# the hold table is the last thing printed, with no rows
[ "$(tail -n 1 "$OUT")" = "                                  Caller   Avg Hold  Count   Max hold Total hold" ] ||
	fail "rows under the hold table"

start klockstat -p "$W" -c pipe_write
wait_ready
sleep 1.5
stop
expect "^ +(anon_)?pipe_write\+0x[0-9a-f]+ +[0-9]+ +[1-9][0-9]* +[0-9]+ +[0-9]+$"
expect_not "pipe_read\+"

"$BCCT" klockstat -d 1 -i 1 >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-d with -i not rejected"
"$BCCT" klockstat -S nope >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-S nope not rejected"
pass

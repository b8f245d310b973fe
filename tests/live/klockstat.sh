#!/bin/sh
# klockstat: four threads of a marker process write to and read from one pipe at once, so the
# pipe's mutex is contended: the acquisitions are counted under their callers (the pipe's read
# and write), in BCC's columns, with -s 3 two more frames under each; -c keeps the callers
# containing a string, -p the marker's. With kprobes or fentry (BCC's way: mutex_lock's entry
# and return, mutex_unlock) every acquisition is timed and the hold table has the same callers;
# without them waits come from lock:contention_begin/end (5.19+), which fire for contended
# acquisitions only, hold times are said to need kprobes (stderr) and their table stays empty.
. "$(dirname "$0")/lib.sh"
need_workload pipe_contend
if "$BCCT" features | grep -Eq '^klockstat .*lock_enter=(fentry|kprobe)'; then
	holds=yes
else
	holds=
	# tplist mounts tracefs where it is not (the VM guests boot without it).
	"$BCCT" tplist 'lock:contention_begin' 2>/dev/null | grep -qx 'lock:contention_begin' ||
		skip "no kprobes or fentry, and no lock:contention_begin/end tracepoints (5.19+)"
fi
[ "$(ncpus)" -ge 2 ] || skip "one CPU: the pipe's mutex is rarely contended"

"$WORKLOADS/pipe_contend" 120 &
W=$!
trap 'kill $W 2>/dev/null; cleanup' EXIT

ROW=' +[0-9]+ +[1-9][0-9]* +[0-9]+ +[0-9]+$'
start klockstat -p "$W" -s 3
wait_ready
sleep 1.5
stop
expect_header "Tracing lock events... Hit Ctrl-C to end."
expect_header "                                  Caller   Avg Spin  Count   Max spin Total spin"
expect_header "                                  Caller   Avg Hold  Count   Max hold Total hold"
# rows of each table: what follows its header up to the next one
awk '/Avg Spin/ { t = "spin"; next } /Avg Hold/ { t = "hold"; next } t { print t ": " $0 }' "$OUT" >"$TMPD/rows"
grep -Eq "^spin: +(anon_)?pipe_(read|write)\+0x[0-9a-f]+$ROW" "$TMPD/rows" || fail "no pipe_read/pipe_write row in the spin table"
grep -Eq "^spin: +vfs_(read|write)\+0x[0-9a-f]+$" "$TMPD/rows" || fail "no vfs_read/vfs_write frame under a caller (-s 3)"
if [ -n "$holds" ]; then
	grep -Eq "^hold: +(anon_)?pipe_(read|write)\+0x[0-9a-f]+$ROW" "$TMPD/rows" ||
		fail "no pipe_read/pipe_write row in the hold table"
	grep -q "hold times need" "$ERR" && fail "hold times said to need kprobes or fentry, which it has"
else
	expect_err "hold times need kprobes or fentry"
	grep -q "^hold: " "$TMPD/rows" && fail "rows under the hold table"
fi
methods

start klockstat -p "$W" -c pipe_write -S acq_count,hld_total
wait_ready
sleep 1.5
stop
expect "^ +(anon_)?pipe_write\+0x[0-9a-f]+$ROW"
expect_not "pipe_read\+"

"$BCCT" klockstat -d 1 -i 1 >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-d with -i not rejected"
"$BCCT" klockstat -S nope >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-S nope not rejected"
"$BCCT" klockstat -S hld_nope >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-S hld_nope not rejected"
[ -n "$holds" ] && pass "waits and hold times (mutex_lock, mutex_unlock)"
pass "waits of contended mutexes only (lock:contention_begin/end)"

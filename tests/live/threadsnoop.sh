#!/bin/sh
# threadsnoop: a dynamically linked workload (tests/workloads/threads.c, libc.so.6's
# pthread_create) under a marker name starts 4 threads running bcct_ts_worker_q5: threadsnoop
# prints BCC's header and one line per thread with the process, its name and the start routine
# by name, times in ms since the first; --json the same with time_s. The VM guests get the
# workload and its C library through tests/vm/initramfs.list.
. "$(dirname "$0")/lib.sh"
DYN="$(dirname "$WORKLOADS")/workloads-dynamic/threads"
[ -x "$DYN" ] || skip "workload workloads-dynamic/threads not built"
libc=
for f in /lib/*/libc.so.6 /lib/libc.so.6 /usr/lib/*/libc.so.6; do [ -e "$f" ] && libc=$f; done
[ -n "$libc" ] || skip "no libc.so.6 to trace"
"$DYN" 0 0 || skip "workloads-dynamic/threads does not run here (another architecture's build?)"
COMM=$(printf '%.15s' "thrq$$")
cp "$DYN" "$TMPD/$COMM"

start threadsnoop --comm "$COMM"
wait_ready
"$TMPD/$COMM" 4 1000 &   # held 1 s: its maps name the start routine when printed late
WPID=$!
wait "$WPID"
sleep 0.5
stop
expect_header "TIME(ms)   PID     COMM             FUNC"
[ "$(grep -Ec "^[0-9]+ +$WPID +$COMM +bcct_ts_worker_q5$" "$OUT")" -eq 4 ] ||
	fail "expected 4 lines for pid $WPID with start routine bcct_ts_worker_q5"
expect "^0 {10}$WPID {1,7} ?$COMM"
grep -E "^[0-9]+ " "$OUT" | grep -v " $COMM " && fail "--comm let other processes through"

start threadsnoop --comm "$COMM" --json
wait_ready
"$TMPD/$COMM" 2 1000 &
WPID=$!
wait "$WPID"
sleep 0.5
stop
[ "$(grep -Ec "^\{\"ts\":\"[^\"]+\",\"ts_ns\":[0-9]+,\"time_s\":[0-9.e-]+,\"pid\":$WPID,\"comm\":\"$COMM\",\"func\":\"bcct_ts_worker_q5\"\}$" "$OUT")" -eq 2 ] ||
	fail "--json: expected 2 objects for pid $WPID"
pass

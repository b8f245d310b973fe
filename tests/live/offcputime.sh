#!/bin/sh
# offcputime: a workload sleeping in bcct_block_here shows that user frame under the kernel
# frames it blocked in (schedule), with its comm and pid; -f -d gives one folded line with the
# "-" delimiter; -t and -m filter.
. "$(dirname "$0")/lib.sh"
need_workload busyfunc
M15=$(printf %.15s "$MARKER")
cp "$WORKLOADS/busyfunc" "$TMPD/$MARKER"
"$TMPD/$MARKER" block 20 &
W=$!
trap 'kill $W 2>/dev/null; cleanup' EXIT

start offcputime -p "$W"
wait_ready
sleep 2
stop
expect_header "Tracing off-CPU time (us) of PID $W by user + kernel stack... Hit Ctrl-C to end."
expect "^    schedule$"
expect "^    bcct_block_here$"
expect "^    -                $M15 \($W\)$"
expect "^        [0-9]+$"
grep "^    -  " "$OUT" | grep -vq "($W)$" && fail "-p $W printed other processes"

start offcputime -f -d -m 1000 -t "$W"
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?main;bcct_block_here;-;(.*;)?schedule(;[^;]+)* [0-9]{4,}$"
grep -v "^$M15;" "$OUT" | grep -q . && fail "-t $W printed other threads"
pass

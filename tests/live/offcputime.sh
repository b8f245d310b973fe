#!/bin/sh
# offcputime: a workload sleeping in bcct_block_here shows that user frame under the kernel
# frames it blocked in (schedule), with its comm and pid; -f -d gives one folded line with the
# "-" delimiter; -t and -m filter; -p takes a comma-separated list as BCC's; -s shows offsets;
# the stack map holds BCC's default 16384 stacks.
. "$(dirname "$0")/lib.sh"
need_workload busyfunc
M15=$(printf %.15s "$MARKER")
cp "$WORKLOADS/busyfunc" "$TMPD/$MARKER"
"$TMPD/$MARKER" block 120 &
W=$!
# A second process that blocks again and again after the tool has attached (a sleep started
# before it would block once, before there was anything to see).
sh -c 'while :; do sleep 0.2; done' &
W2=$!
trap 'kill $W $W2 2>/dev/null; cleanup' EXIT

start offcputime -p "$W,$W2"
wait_ready
# BPF_MAP_TYPE_STACK_TRACE (7) sized by --stack-storage-size, BCC's default 16384
for fd in /proc/$APID/fdinfo/*; do
	grep -q "^map_type:[[:space:]]*7$" "$fd" 2>/dev/null && grep "^max_entries:" "$fd"
done >"$TMPD/maps"
grep -Eq "^max_entries:[[:space:]]*16384$" "$TMPD/maps" || fail "stack map not 16384 entries: $(cat "$TMPD/maps")"
sleep 2
stop
expect_header "Tracing off-CPU time (us) of PIDs $W,$W2 by user + kernel stack... Hit Ctrl-C to end."
expect "^    schedule$"
expect "^    bcct_block_here$"
expect "^    -                $M15 \($W\)$"
expect "^        [0-9]+$"
expect "^    -                sh \($W2\)$"
grep "^    -  " "$OUT" | grep -Evq "\(($W|$W2)\)$" && fail "-p $W,$W2 printed other processes"

start offcputime -s -p "$W"
wait_ready
sleep 2
stop
expect "^    schedule\+0x[0-9a-f]+$"
expect "^    bcct_block_here\+0x[0-9a-f]+$"
"$BCCT" offcputime -f -s >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "-f -s not rejected"

start offcputime -f -d -m 1000 -t "$W"
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?main;bcct_block_here;-;(.*;)?schedule(;[^;]+)* [0-9]{4,}$"
grep -v "^$M15;" "$OUT" | grep -q . && fail "-t $W printed other threads"
pass

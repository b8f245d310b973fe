#!/bin/sh
# profile/offcputime --unwind=dwarf: a workload built -O2 -fomit-frame-pointer (nofp_chain)
# shows its whole chain main;level1;level2;spin only when unwound with DWARF CFI in user space;
# the frame-pointer walk (default) does not find level1/level2. --lines adds file:line from
# the workload's DWARF; offcputime --unwind=dwarf finds main;level1;level2;block_here.
. "$(dirname "$0")/lib.sh"
need_workload nofp_chain
M15=$(printf %.15s "$MARKER")
cp "$WORKLOADS/nofp_chain" "$TMPD/$MARKER"
"$TMPD/$MARKER" spin 120 &
W=$!
"$TMPD/$MARKER" block 120 &
B=$!
trap 'kill $W $B 2>/dev/null; cleanup' EXIT

start profile -p "$W" -U -f -F 199 --unwind=dwarf
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?main;level1;level2;spin [0-9]+$"
grep -v "^$M15;" "$OUT" | grep -q . && fail "-p $W printed other processes"

start profile -p "$W" -U -f -F 199
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?spin [0-9]+$"
expect_not "main;level1;level2;spin"

start profile -p "$W" -U -F 199 --unwind=dwarf --lines --stack-dump-size 4096 2
wait_exit 15
expect "^    spin \(.*nofp_chain\.c:[0-9]+\)$"
expect "^    level2 \(.*nofp_chain\.c:[0-9]+\)$"
expect "^    level1 \(.*nofp_chain\.c:[0-9]+\)$"
expect "^    main \(.*nofp_chain\.c:[0-9]+\)$"
expect "^    -                $M15 \($W\)$"

start offcputime -p "$B" -U -f --unwind=dwarf
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?main;level1;level2;block_here [0-9]+$"

start offcputime -p "$B" -f --unwind=dwarf
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?main;level1;level2;block_here;(.*;)?schedule(;[^;]+)* [0-9]+$"

start offcputime -p "$B" -U -f
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?block_here [0-9]+$"
expect_not "main;level1;level2;block_here"
pass

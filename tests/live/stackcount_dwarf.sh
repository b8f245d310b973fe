#!/bin/sh
# stackcount --unwind=dwarf: a uprobe on clock_gettime (called by block_here every 10 ms) in a
# workload built -O2 -fomit-frame-pointer (nofp_chain, a private copy named $MARKER: uprobes go
# by inode) shows the whole chain main;level1;level2;block_here;clock_gettime only when unwound
# with DWARF CFI in user space; the frame-pointer walk (default) does not find level1/level2.
# Layouts as in fp mode: folded (-f), multi-line with -v addresses and the -d delimiter, the
# "comm [pid]" line with -P, JSON; a tracepoint (sys_enter_nanosleep, made by block_here
# itself) with kernel frames from the stack map after the "-" delimiter; interval output.
. "$(dirname "$0")/lib.sh"
need_workload nofp_chain
M15=$(printf %.15s "$MARKER")
cp "$WORKLOADS/nofp_chain" "$TMPD/$MARKER"
# Longer than the test can take anywhere (killed at exit): the seven runs take 80-90 s in the
# emulated arm64 guest, where a 60 s workload was gone before the third.
"$TMPD/$MARKER" block 300 &
W=$!
trap 'kill $W 2>/dev/null; cleanup' EXIT
SPEC="$TMPD/$MARKER:clock_gettime"
CG='(__)?clock_gettime'

# 1. Folded user stacks of one process: the full chain with DWARF, and only that process.
start stackcount -p "$W" -U -f --unwind=dwarf "$SPEC"
wait_ready
sleep 1
stop
expect "^$M15;(.*;)?main;level1;level2;block_here;$CG [0-9]+$"
grep -v "^$M15;" "$OUT" | grep -q . && fail "-p $W printed other processes"

# 2. The same with frame pointers: the walk loses main, level1 and level2.
start stackcount -p "$W" -U -f "$SPEC"
wait_ready
sleep 1
stop
expect "^$M15;(.*;)?$CG [0-9]+$"
expect_not "main;level1;level2"

# 3. Multi-line, every process (only the copy hits its uprobe), per process (-P), -d, -v raw
# addresses, a smaller copy: frames innermost first, the "--" delimiter, "    comm [pid]", the
# count.
start stackcount -P -d --unwind=dwarf --stack-dump-size 4096 "$SPEC"
wait_ready
sleep 1
stop
expect_header "Tracing 1 functions for \"$SPEC\"... Hit Ctrl-C to end."
expect "^Detaching\.\.\.$"
awk -v c="    $M15 [$W]" '
	/^    --$/ { s = "--"; next }
	/^  [0-9a-f]+ +[^ ]+$/ { s = s "," $2; next }
	$0 == c { f = s; next }
	/^    [0-9]+$/ { if (f != "") print f; s = ""; f = "" }
' "$OUT" | grep -Eq "^--,$CG,block_here,level2,level1,main(,|$)" ||
	fail "multi-line: no \"--, clock_gettime, block_here, level2, level1, main\" stack for $M15 [$W]"

# 4. JSON: the user frames innermost first.
start stackcount -p "$W" -U --json --unwind=dwarf "$SPEC"
wait_ready
sleep 1
stop
expect "\"user_stack\":\[\"$CG\",\"block_here\",\"level2\",\"level1\",\"main\""

# 5. A tracepoint: user frames unwound, kernel frames from the stack map after "-" (-d, folded).
start stackcount -p "$W" -d -f --unwind=dwarf t:syscalls:sys_enter_nanosleep
wait_ready
sleep 1
stop
expect "^$M15;(.*;)?main;level1;level2;block_here;-(;[^ ]+)? [0-9]+$"

# 6. Intervals: two summaries with timestamps (-T -i 1 -D 2), each with the chain (the aggregate
# is cleared between them).
run_fg 20 stackcount -p "$W" -U -f -T -i 1 -D 2 --unwind=dwarf "$SPEC" || fail "interval run failed"
[ "$(grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$' "$OUT")" -eq 2 ] || fail "expected 2 timestamped summaries"
[ "$(grep -Ec "^$M15;(.*;)?main;level1;level2;block_here;$CG [0-9]+$" "$OUT")" -eq 2 ] ||
	fail "expected the chain once in each summary"

# Usage error: exit 2.
"$BCCT" stackcount --unwind=frames "$SPEC" >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "--unwind=frames not a usage error"
expect_err "invalid --unwind 'frames': fp or dwarf"
pass

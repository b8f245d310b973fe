#!/bin/sh
# profile: a CPU-bound workload's call chain main -> bcct_busy_outer -> bcct_busy_inner appears
# in its sampled user stacks, folded (-f) and multi-line (-U, duration); -p keeps that process only;
# -A puts each frame's raw address before its name, -a's "_[k]" kept on kernel frames.
. "$(dirname "$0")/lib.sh"
need_workload busyfunc
M15=$(printf %.15s "$MARKER")
cp "$WORKLOADS/busyfunc" "$TMPD/$MARKER"
"$TMPD/$MARKER" spin 120 &
W=$!
trap 'kill $W 2>/dev/null; cleanup' EXIT

start profile -p "$W" -f -F 199
wait_ready
sleep 2
stop
expect "^$M15;(.*;)?main;bcct_busy_outer;bcct_busy_inner [0-9]+$"
grep -v "^$M15;" "$OUT" | grep -q . && fail "-p $W printed other processes"

start profile -U -F 199 -p "$W" 2
wait_exit 15
expect_header "Sampling at 199 Hertz of PID [$W] by user stack for 2 secs."
expect "^    bcct_busy_inner$"
expect "^    bcct_busy_outer$"
expect "^    -                $M15 \($W\)$"
expect "^        [0-9]+$"
expect_not "^    (entry_SYSCALL|asm_sysvec|do_syscall|el0t_64_sync|el0_svc)"   # kernel entry frames: x86-64, arm64

start profile -A -a -F 199 -p "$W" 2
wait_exit 15
expect "^    [0-9a-f]{6,16} +bcct_busy_inner$"
expect "^    [0-9a-f]{6,16} +bcct_busy_outer$"
expect "^    -                $M15 \($W\)$"
# Kernel frames (idle included with -I, so that some are sampled).
start profile -A -a -K -F 999 -I 2
wait_exit 15
expect "^    [0-9a-f]{16} [^ ]+_\[k\]$"
expect_not "^    [^0-9a-f [-]"
pass

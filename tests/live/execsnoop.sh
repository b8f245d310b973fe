#!/bin/sh
# execsnoop: an exec'd command line with a unique marker appears with its PPID and return code;
# -x shows a failed exec; --comm filters by the name after exec.
. "$(dirname "$0")/lib.sh"

start execsnoop -x -U
wait_ready
sh -c "/bin/echo $MARKER one two >/dev/null; exit 0"
"/nonexistent-$MARKER" 2>/dev/null
sleep 0.5
stop
expect_header "UID   COMM             PID     PPID    RET ARGS"
expect "^0 +echo +[0-9]+ +[0-9]+ +0 /bin/echo $MARKER one two$"
expect "-2 /nonexistent-$MARKER$"
# The raw syscall hooks first (bpf/syscalls.bpf.h: a successful exec returns with the syscall
# number still in the new image's registers); without raw_tp the per-syscall tracepoints.
expect_err "probe sys_exit: raw_tp sys_exit"
BCCT_DISABLE=raw_tp; export BCCT_DISABLE
start execsnoop -x
unset BCCT_DISABLE
wait_ready
sh -c "/bin/echo tp-$MARKER >/dev/null; exit 0"
"/nonexistent-tp-$MARKER" 2>/dev/null
sleep 0.5
stop
expect_err "probe sys_exit__execve: tracepoint syscalls/sys_exit_execve"
expect "^echo +[0-9]+ +[0-9]+ +0 /bin/echo tp-$MARKER$"
expect "-2 /nonexistent-tp-$MARKER$"

# --comm names the process after exec (the new program), not the caller: the shell's exec of
# /bin/true shows, its exec of /bin/echo does not. A newline inside an argument prints as \n.
start execsnoop --comm true
wait_ready
/bin/true "true-$MARKER" "nl1
nl2"
/bin/echo "echo-$MARKER" >/dev/null
sleep 0.5
stop
expect "^true +[0-9]+ +[0-9]+ +0 /bin/true true-$MARKER nl1\\\\nnl2$"
expect_not "echo-$MARKER"

# -M adds the parent's comm after PID, -C the CPU after PPID (BCC's columns and widths).
start execsnoop -M -C
wait_ready
sh -c "/bin/echo pc-$MARKER >/dev/null; exit 0"
sleep 0.5
stop
expect_header "COMM             PID     PCOMM            PPID    CPU  RET ARGS"
expect "^echo +[0-9]+ +sh +[0-9]+ +[0-9]+ +0 /bin/echo pc-$MARKER$"

# The perf-buffer path (kernels before 5.8), forced on this kernel.
export BCCT_FORCE_PERFBUF=1
start execsnoop
wait_ready
/bin/echo "perfbuf-$MARKER" >/dev/null
sleep 0.5
stop
unset BCCT_FORCE_PERFBUF
expect_err "using a perf buffer"
expect "/bin/echo perfbuf-$MARKER$"
pass

#!/bin/sh
# execsnoop: an exec'd command line with a unique marker appears with its PPID and return code;
# -x shows a failed exec; -n filters by name.
. "$(dirname "$0")/lib.sh"

start execsnoop -x -U
wait_ready
sh -c "/bin/echo $MARKER one two >/dev/null; exit 0"
"/nonexistent-$MARKER" 2>/dev/null
sleep 0.5
stop
expect_header "UID   PCOMM            PID     PPID    RET ARGS"
expect "^0 +echo +[0-9]+ +[0-9]+ +0 /bin/echo $MARKER one two$"
expect "-2 /nonexistent-$MARKER$"

# The shared in-kernel filter: --comm keeps only exec calls made by the named process.
need_workload spawn
cp "$WORKLOADS/spawn" "$TMPD/m$$"
start execsnoop --comm "m$$"
wait_ready
"$WORKLOADS/spawn" /bin/echo "other-$MARKER" >/dev/null
"$TMPD/m$$" /bin/echo "mine-$MARKER" >/dev/null
sleep 0.5
stop
expect "mine-$MARKER"
expect_not "other-$MARKER"

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

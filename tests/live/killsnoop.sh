#!/bin/sh
# killsnoop (the sigsnoop alias, kill-only mode): kill -USR1 from this shell to a sleeping
# marker-named process appears with BCC killsnoop's columns; -x shows only the failed kill.
. "$(dirname "$0")/lib.sh"

need_workload exitsnoop_proc
PROG="$TMPD/$MARKER"
cp "$WORKLOADS/exitsnoop_proc" "$PROG"
"$PROG" 30 0 &
victim=$!

# BCC sizes the PID columns from pid_max.
w=$(( $(cat /proc/sys/kernel/pid_max | wc -c) ))
hdr=$(printf "%-9s %-${w}s %-16s %-4s %-${w}s %s" TIME PID COMM SIG TPID RESULT)

start killsnoop
wait_ready
kill -USR1 "$victim"
wait "$victim" 2>/dev/null
sleep 0.5
stop
expect_header "$hdr"
expect "^[0-9:]{8}  $$ +[^ ]+ +10 +$victim +0$"
expect_not "TCOMM"

# The raw syscall hooks first (bpf/syscalls.bpf.h); without raw_tp the per-syscall tracepoints.
expect_err "probe sys_enter: raw_tp sys_enter"
"$PROG" 30 0 &
victim=$!
BCCT_DISABLE=raw_tp; export BCCT_DISABLE
start killsnoop
unset BCCT_DISABLE
wait_ready
kill -USR1 "$victim"
wait "$victim" 2>/dev/null
sleep 0.5
stop
expect_err "probe sys_enter__kill: tracepoint syscalls/sys_enter_kill"
expect "^[0-9:]{8}  $$ +[^ ]+ +10 +$victim +0$"

# -x: the kill of the (now reaped) victim fails with ESRCH; successful kills are not shown.
"$PROG" 30 0 &
alive=$!
start killsnoop -x
wait_ready
kill -0 "$alive"
kill -0 "$victim" 2>/dev/null
sleep 0.5
stop
kill -KILL "$alive"
expect "^[0-9:]{8}  $$ +[^ ]+ +0 +$victim +-3$"
expect_not " $alive "

# --help is killsnoop's (BCC killsnoop.py): its usage line and options, none of sigsnoop's.
"$BCCT" killsnoop --help >"$OUT" 2>"$ERR" || fail "killsnoop --help failed"
expect "^usage: killsnoop \[-h\] \[-x\] \[-p PID\] \[-T TPID\] \[-s SIGNAL\]"
expect "^Trace signals issued by the kill\(\) syscall$"
expect "only show failed kill syscalls"
expect_not "kill-only|--name|sigsnoop"
# sigsnoop-only options are refused under the killsnoop name.
"$BCCT" killsnoop -n >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "killsnoop -n exited $rc, expected 2 (usage error)"
expect_err "unrecognized option '-n'"
pass

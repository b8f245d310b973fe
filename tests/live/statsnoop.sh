#!/bin/sh
# statsnoop: the shell's stat of a marker path shows FD 0 / ERR 0, a missing marker path ERR 2,
# with the syscall name (-s) and timestamps (-t); -x -p keeps only this shell's failed stats.
. "$(dirname "$0")/lib.sh"

D=$(cd "$TMPD" && pwd -P)
: >"$D/$MARKER.yes"
CALLS="(newstat|newlstat|newfstatat|statx)"

start statsnoop -s -t
wait_ready
[ -e "$D/$MARKER.yes" ] || fail "marker file missing"
[ -e "$D/$MARKER.no" ] && fail "unexpected file"
sleep 0.5
stop
expect_header "TIME(s)       PID    COMM               FD ERR SYSCALL    PATH"
expect "^[0-9]+\.[0-9]{9} +$$ +[^ ]+ +0 +0 $CALLS +$D/$MARKER.yes$"
expect "^[0-9]+\.[0-9]{9} +$$ +[^ ]+ +-1 +2 $CALLS +$D/$MARKER.no$"
# The raw syscall hooks first (bpf/syscalls.bpf.h); without raw_tp the per-syscall tracepoints.
expect_err "probe sys_enter: raw_tp sys_enter"
BCCT_DISABLE=raw_tp; export BCCT_DISABLE
start statsnoop -s
unset BCCT_DISABLE
wait_ready
[ -e "$D/$MARKER.no" ]
sleep 0.5
stop
expect_err "probe sys_enter__statx: tracepoint syscalls/sys_enter_statx"
expect "^$$ +[^ ]+ +-1 +2 $CALLS +$D/$MARKER.no$"

start statsnoop -x -p $$
wait_ready
[ -e "$D/$MARKER.yes" ]
[ -e "$D/$MARKER.no" ]
sh -c '[ -e "$1" ]' sh "$D/other-$MARKER"
sleep 0.5
stop
expect_header "PID    COMM               FD ERR PATH"
expect "^$$ +[^ ]+ +-1 +2 $D/$MARKER.no$"
expect_not "$MARKER.yes"
expect_not "other-$MARKER"
pass

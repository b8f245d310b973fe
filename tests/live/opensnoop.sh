#!/bin/sh
# opensnoop: opens of marker paths show FD/ERR, flags and mode (-e) and UID (-U); -x keeps only
# failed opens and -n only process names containing the marker; -F prints the full path of a
# relative open; -f O_WRONLY keeps only write opens.
. "$(dirname "$0")/lib.sh"

need_workload opensnoop_open
W="$TMPD/$MARKER"
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/opensnoop_open" "$W"
D=$(cd "$TMPD" && pwd -P)
: >"$D/$MARKER.ro"

start opensnoop -e -U
wait_ready
"$W" "$D/$MARKER.ro" "$D/$MARKER.missing"
"$W" -w "$D/$MARKER.new"
sleep 0.5
stop
expect_header "UID   PID    COMM               FD ERR FLAGS    MODE PATH"
expect "^0 +[0-9]+ +$COMM +[0-9]+ +0 00000000 n/a  $D/$MARKER.ro$"
expect "^0 +[0-9]+ +$COMM +-1 +2 00000000 n/a  $D/$MARKER.missing$"
expect "^0 +[0-9]+ +$COMM +[0-9]+ +0 [0-7]{5}1[0-7]1 0640 $D/$MARKER.new$"
# One raw_tp program per syscall hook is chosen before the six per-syscall tracepoints (whose
# perf events take tens of ms each to release at exit); without raw_tp, those trace the same.
expect_err "probe sys_enter: raw_tp sys_enter"
expect_err "probe sys_exit__openat: covered by sys_exit"
BCCT_DISABLE=raw_tp; export BCCT_DISABLE
start opensnoop
unset BCCT_DISABLE
wait_ready
"$W" "$D/$MARKER.ro"
sleep 0.5
stop
expect_err "probe sys_enter__openat: tracepoint syscalls/sys_enter_openat"
expect "^[0-9]+ +$COMM +[0-9]+ +0 $D/$MARKER.ro$"

# -x -n: only failed opens by processes whose name contains the marker.
start opensnoop -x -n "$COMM"
wait_ready
"$W" "$D/$MARKER.ro" "$D/$MARKER.missing2"
cat "$D/other-$MARKER" 2>/dev/null
sleep 0.5
stop
expect_header "PID    COMM               FD ERR PATH"
expect "^[0-9]+ +$COMM +-1 +2 $D/$MARKER.missing2$"
expect_not "$MARKER.ro"
expect_not "other-$MARKER"

# -F -f O_WRONLY: a relative write open is printed with the full path; read opens are not.
start opensnoop -F -f O_WRONLY
wait_ready
(cd "$D" && "$W" "./$MARKER.ro" && "$W" -w "$MARKER.rel")
sleep 0.5
stop
expect "^[0-9]+ +$COMM +[0-9]+ +0 $D/$MARKER.rel$"
expect_not "$MARKER.ro"

# bcct's own opens (its tracefs reads while attaching) are not reported, as BCC's own process
# is not; -b sizes the buffer in pages per CPU (the ring buffer: pages x CPUs, a power of two).
start opensnoop -b 128
self=$APID
wait_ready
"$W" "$D/$MARKER.ro"
sleep 0.5
stop
expect "^[0-9]+ +$COMM +[0-9]+ +0 $D/$MARKER.ro$"
expect_not "^$self "
expect_err "ring buffer: [0-9]+ bytes \\(128 pages per CPU\\)"
"$BCCT" opensnoop -b 3 >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "opensnoop -b 3 exited $rc, expected 2 (usage error)"
expect_err "power of two"
pass

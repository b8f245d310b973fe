#!/bin/sh
# --exec CMD [ARGS...] (bcct's own; opensnoop and syscount offer it): bcct starts CMD held, traces
# its PID only (the -p filter) from its exec, and ends by itself when it exits, printing the
# final output and CMD's exit status on stderr while exiting 0. Another process opening the same
# marker at the same time is not traced, nor is a child CMD forks (another PID). SIGINT to bcct
# alone ends the trace and leaves CMD running. Wrong use: -p with --exec (exit 2), no CMD (2),
# a CMD that does not exist (1, before anything runs).
. "$(dirname "$0")/lib.sh"

need_workload opensnoop_open
W="$TMPD/$MARKER"
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/opensnoop_open" "$W"
D=$(cd "$TMPD" && pwd -P)
: >"$D/$MARKER.in"; : >"$D/$MARKER.bg"; : >"$D/$MARKER.forked"

# start, with -v before --exec (everything after it is CMD's).
start_exec() {
	: >"$OUT"; : >"$ERR"
	applet=$1; shift
	"$BCCT" "$applet" -v "$@" >"$OUT" 2>"$ERR" &
	APID=$!
}

# A process outside the trace opens its marker all along.
( while [ ! -e "$D/stop-bg" ]; do "$W" "$D/$MARKER.bg"; sleep 0.02; done ) &
BG=$!
# CMD: a shell that forks one open (another PID: not traced), then becomes the workload (same PID:
# traced).
start_exec opensnoop --exec sh -c "\"$W\" \"$D/$MARKER.forked\"; sleep 0.3; exec \"$W\" \"$D/$MARKER.in\""
wait_exit 20
: >"$D/stop-bg"; wait "$BG"
expect_header "PID    COMM               FD ERR PATH"
expect "^[0-9]+ +$COMM +[0-9]+ +0 $D/$MARKER.in$"
expect_not "$MARKER.bg"
expect_not "$MARKER.forked"
expect_err "opensnoop: sh \\(pid [0-9]+\\) exited with status 0$"
child=$(sed -n 's/.*sh (pid \([0-9]*\)) exited.*/\1/p' "$ERR")
expect "^$child +$COMM "
# Every line is the child's: the shell's own opens (ld.so.cache at its exec) and the workload's.
[ "$(grep -Evc "^(PID |$child )" "$OUT")" -eq 0 ] || fail "a line from another PID than $child"
# A dynamic shell's first open, at its exec, is traced: it was held until everything attached.
if [ -s /etc/ld.so.cache ] && head -c 1024 "$(command -v sh)" | grep -q 'ld-linux'; then
	expect "^$child +sh +[0-9]+ +0 /etc/ld.so.cache$"
fi
expect_err "held as pid $child"
# CMD's exit status is reported; bcct's is 0 for a completed trace.
start_exec opensnoop --exec sh -c "exit 3"
wait_exit 20
expect_err "opensnoop: sh \\(pid [0-9]+\\) exited with status 3$"

# syscount -P: one row, the child's PID; the child's execve is counted (it was held until attached).
start_exec syscount -P --exec "$W" "$D/$MARKER.in"
wait_exit 20
expect_header "PID    COMM               COUNT"
expect "^$(sed -n 's/.* (pid \([0-9]*\)) exited.*/\1/p' "$ERR") +$COMM +[0-9]+$"
[ "$(grep -Ec '^[0-9]+ ' "$OUT")" -eq 1 ] || fail "syscount -P --exec: expected one PID row"
expect_err "syscount: $W \\(pid [0-9]+\\) exited with status 0$"
start_exec syscount --syscall execve --exec "$W" "$D/$MARKER.in"
wait_exit 20
expect "^execve +1$"

# SIGINT to bcct alone: the trace ends (exit 0), CMD runs on.
start_exec opensnoop --exec sleep 30
wait_ready
stop
expect_err "sleep \\(pid [0-9]+\\) is still running; no longer traced"
child=$(sed -n 's/.*sleep (pid \([0-9]*\)) is still.*/\1/p' "$ERR")
kill -0 "$child" 2>/dev/null || fail "the --exec child did not survive bcct's SIGINT"
kill "$child"

"$BCCT" opensnoop -p 1 --exec true >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "-p with --exec exited $rc, expected 2"
expect_err "cannot be combined with -p/-t"
"$BCCT" syscount --exec >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] || fail "--exec without CMD exited $rc, expected 2"
"$BCCT" opensnoop --exec "/nonexistent/$MARKER" >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] || fail "--exec of a missing command exited $rc, expected 1"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "--exec of a missing command: expected one line"
expect_err "No such file or directory"
pass

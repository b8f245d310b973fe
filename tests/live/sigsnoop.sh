#!/bin/sh
# sigsnoop: kill -USR1 from this shell to a sleeping marker-named process shows sender, signal
# name (-n), target PID and target comm; -s and -T keep only the chosen signal and target.
. "$(dirname "$0")/lib.sh"

need_workload exitsnoop_proc
PROG="$TMPD/$MARKER"
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/exitsnoop_proc" "$PROG"

# Starts the marker program in the background; waits until it runs under its own name.
spawn_victim() {
	"$PROG" 30 0 &
	victim=$!
	n=50
	while [ "$(cat /proc/$victim/comm 2>/dev/null)" != "$COMM" ] && [ "$n" -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
}

start sigsnoop -n
wait_ready
spawn_victim
kill -USR1 "$victim"
wait "$victim" 2>/dev/null
sleep 0.5
stop
expect_header "TIME     PID     COMM             SIG          TPID    TCOMM            RESULT"
expect "^[0-9:]{8} $$ +[^ ]+ +SIGUSR1 +$victim +$COMM +0 *$"

# -s WINCH -T victim: SIGCONT to the victim and SIGWINCH to another process are filtered out.
spawn_victim
sleep 30 &
other=$!
start sigsnoop -s WINCH -T "$victim"
wait_ready
kill -CONT "$victim"
kill -WINCH "$other"
kill -WINCH "$victim"
sleep 0.5
stop
kill -KILL "$victim" "$other"
expect "^[0-9:]{8} $$ +[^ ]+ +28 +$victim +$COMM +0 *$"
expect_not " 18 +$victim "
expect_not " $other "
pass

#!/bin/sh
# syscount: a workload makes 5000 getppid() and 5000 failing fchdir(-1) calls; -p -L counts them
# by syscall with latency columns; -P -e EBADF counts the failures under the workload's (marker)
# process name; -l lists syscall names.
. "$(dirname "$0")/lib.sh"
need_workload syscount_loop
N=5000

# count_of NAME: the COUNT column of NAME's row (0 when absent).
count_of() {
	awk -v n="$1" '$1 == n { c = $2 } END { print c + 0 }' "$OUT"
}

# Starts the workload (copied as $1), which waits for $TMPD/go before making its calls.
run_workload() {
	cp "$WORKLOADS/syscount_loop" "$TMPD/$1"
	"$TMPD/$1" "$TMPD/go" "$N" &
	WPID=$!
}

# Per syscall for one process, with latency.
run_workload syscount_loop
start syscount -L -p "$WPID"
wait_ready
touch "$TMPD/go"
wait "$WPID"
stop
expect_header "SYSCALL                   COUNT        TIME (us)"
expect "^getppid +[0-9]+ +[0-9]+\.[0-9]{3}$"
[ "$(count_of getppid)" -ge "$N" ] || fail "getppid counted $(count_of getppid) times, expected >= $N"
[ "$(count_of fchdir)" -ge "$N" ] || fail "fchdir counted $(count_of fchdir) times, expected >= $N"

# Per process, only calls failing with EBADF: the marker-named workload's fchdir calls.
rm -f "$TMPD/go"
NAME=$(echo "$MARKER" | cut -c1-15)
run_workload "$NAME"
start syscount -P -e EBADF -T 50
wait_ready
touch "$TMPD/go"
wait "$WPID"
stop
expect_header "PID    COMM               COUNT"
expect "^$WPID +$NAME +[0-9]+$"
c=$(awk -v p="$WPID" '$1 == p { print $3 }' "$OUT")
[ "${c:-0}" -ge "$N" ] || fail "EBADF failures of $NAME counted ${c:-0} times, expected >= $N"

# -c: only children of this shell. A grandchild (the workload started by another sh) is not
# counted. -P names a process as it is at print time: the sh that exec'd sleep is "sleep".
start syscount -P -c $$
wait_ready
sh -c "sleep 0.3; exec sleep 3" &
WPID=$!
sh -c "\"$TMPD/syscount_loop\" \"$TMPD/go\" 10 & echo \$! >\"$TMPD/gpid\"; wait"
sleep 1
stop
wait "$WPID"
expect "^$WPID +sleep +[0-9]+$"
expect_not "^$(cat "$TMPD/gpid") "

# The syscall table.
"$BCCT" syscount -l >"$OUT" 2>"$ERR" || fail "syscount -l failed"
expect "(^| )getppid "
expect "(^| )fchdir "
pass

#!/bin/sh
# SIGINT and SIGTERM end a tool whose stdout is a pipe nobody reads (issue 11): the applet's
# printing is blocked in write() on the full pipe, and the signal must still end the run within
# 2 s, leaving none of its bpf links behind. Per-event tools with an object (opensnoop) and with
# programs compiled at run time (trace).
. "$(dirname "$0")/lib.sh"

has_cmd bpftool || skip "bpftool not found (needed to check that no link is left)"
FIFO="$TMPD/fifo"
mkfifo "$FIFO" || fail "mkfifo failed"
# Held open for reading and writing so the tool's open does not wait for a reader, and nothing
# ever reads it: the pipe fills and stays full.
exec 3<>"$FIFO"

# blocked_run SIGNAL APPLET ARGS...
blocked_run() {
	sig=$1
	shift
	: >"$ERR"
	"$BCCT" "$@" -v >"$FIFO" 2>"$ERR" &
	APID=$!
	n=200
	until grep -q 'attached [0-9]* links' "$ERR" 2>/dev/null; do
		kill -0 "$APID" 2>/dev/null || fail "$1 exited before attaching"
		n=$((n - 1))
		[ "$n" -gt 0 ] || fail "$1 did not attach within 20 s"
		sleep 0.1
	done
	links=$(grep -h '^link_id:' /proc/"$APID"/fdinfo/* 2>/dev/null | awk '{ print $2 }')
	[ -n "$links" ] || fail "$1: no bpf link fds found in /proc/$APID/fdinfo"
	# Opens until the tool is blocked writing to the full pipe.
	n=0
	until grep -q pipe_write /proc/"$APID"/wchan 2>/dev/null; do
		for i in 1 2 3 4 5 6 7 8 9 10; do cat "$FIFO.$MARKER" 2>/dev/null; done
		n=$((n + 1))
		[ "$n" -lt 2000 ] || fail "$1 never blocked on the full pipe (wchan $(cat /proc/"$APID"/wchan))"
	done
	kill "-$sig" "$APID"
	n=20
	while kill -0 "$APID" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	if kill -0 "$APID" 2>/dev/null; then
		w=$(cat /proc/"$APID"/wchan 2>/dev/null)
		kill -9 "$APID"
		APID=
		fail "$1 still running 2 s after SIG$sig with stdout blocked (wchan $w)"
	fi
	wait "$APID"
	rc=$?
	APID=
	[ "$rc" -eq 0 ] || fail "$1 exited with status $rc after SIG$sig"
	for id in $links; do
		! bpftool link show id "$id" >/dev/null 2>&1 || fail "$1: link $id still exists after exit"
	done
	echo "$1 SIG$sig: ended, $(echo $links | wc -w) links released"
}

blocked_run INT opensnoop
blocked_run TERM opensnoop
blocked_run INT trace 't:syscalls:sys_enter_openat "%s", args->filename'
blocked_run TERM trace 't:syscalls:sys_enter_openat "%s", args->filename'
pass "SIGINT and SIGTERM end opensnoop and trace with stdout blocked; no link left"

#!/bin/sh
# SIGINT and SIGTERM end a tool whose stdout is a pipe nobody reads (issue 11): the applet's
# printing is blocked in write() on the full pipe, and the signal must still end the run within
# 2 s, leaving none of its bpf links behind. Per-event tools with an object (opensnoop) and with
# programs compiled at run time (trace). And a SIGINT that comes while the applet is starting.
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
# SIGINT while the applet still resolves its probes, before it loads anything, in a job that
# starts with SIGINT ignored (a script's `bcct ... &`): the applet catches it from its start, so
# the run ends instead of tracing on. strace delays every openat by 0.2 s so that the signal,
# sent after 1 s, lands during the resolution (bcct caught SIGINT only after 8 opens before).
LATE=
if has_cmd strace; then
	( trap '' INT; exec strace -qq -f -o /dev/null -e trace=openat \
		-e inject=openat:delay_enter=200000 "$BCCT" funccount c:malloc ) >"$OUT" 2>"$ERR" &
	SPID=$!
	sleep 1
	BPID=$(pgrep -P "$SPID")
	[ -n "$BPID" ] || fail "no bcct process under strace"
	kill -INT "$BPID"
	n=100
	while kill -0 "$SPID" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	if kill -0 "$SPID" 2>/dev/null; then
		kill -9 "$BPID" "$SPID" 2>/dev/null
		fail "SIGINT during start-up (inherited as ignored) was lost: funccount still runs 10 s later"
	fi
	wait "$SPID" || fail "SIGINT during start-up: exit status $?, expected 0"
	LATE="; SIGINT during start-up ends the run"
else
	echo "core_signals: strace not found: the start-up SIGINT check did not run" >&2
fi
pass "SIGINT and SIGTERM end opensnoop and trace with stdout blocked; no link left$LATE"

#!/bin/sh
# ttysnoop: a workload opens a pseudo-terminal and writes marker text to its pts (one write(2),
# then one writev(2) of two pieces); ttysnoop given that pts's number prints the text exactly,
# and nothing written to a second pts. -s/-c: at most -c pieces of -s bytes of each write.
# On this kernel's fallback (raw sys_enter) and, where tty_write can be probed, at tty_write.
. "$(dirname "$0")/lib.sh"
need_workload pty_writer
[ -e /dev/ptmx ] || skip "no /dev/ptmx (devpts not mounted)"

# writer NAME TEXT...: a pty_writer in the background, its pts number in $TMPD/NAME.pts.
writer() {
	name=$1; shift
	"$WORKLOADS/pty_writer" "$TMPD/$name.pts" "$TMPD/go" "$@" &
	WRITERS="$WRITERS $!"
	n=50
	while [ ! -s "$TMPD/$name.pts" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -s "$TMPD/$name.pts" ] || fail "pty_writer did not open a pty"
}
# run_writers: lets the writers write, waits for them.
run_writers() {
	: >"$TMPD/go"
	n=100
	while [ "$(ls "$TMPD"/go.done 2>/dev/null)" = "" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	sleep 0.5
	rm -f "$TMPD/go"
	for w in $WRITERS; do wait "$w"; done
	WRITERS=
	rm -f "$TMPD/go.done" "$TMPD"/*.pts
}

WRITERS=
writer a "one-$MARKER|" "two-$MARKER|" "three-$MARKER|"
writer b "other-$MARKER"
start ttysnoop -C "$(cat "$TMPD/a.pts")"
wait_ready
run_writers
stop
[ "$(cat "$OUT")" = "one-$MARKER|two-$MARKER|three-$MARKER|" ] ||
	fail "expected exactly the text written to the pts"

# -s 4 -c 2: at most two events of 4 bytes per write: 8 bytes of the write; of the writev's two
# 5-byte buffers, "ABCD" and "E" (each buffer is cut on its own, and both count as one write).
writer a "abcdefghijk-$MARKER" "ABCDE" "FGHIJ"
start ttysnoop -C -s 4 -c 2 "/dev/pts/$(cat "$TMPD/a.pts")"
wait_ready
run_writers
stop
[ "$(cat "$OUT")" = "abcdefghABCDE" ] || fail "-s 4 -c 2: expected abcdefghABCDE"

# Usage: the device is required; a missing one is a runtime failure, in one line.
"$BCCT" ttysnoop >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "no device: expected exit 2"
"$BCCT" ttysnoop 999999 >/dev/null 2>"$ERR"; [ $? -eq 1 ] || fail "missing pts: expected exit 1"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "missing pts: not one line"
pass

#!/bin/sh
# shellsnoop: a shell, waiting on a FIFO, then echoes a line itself (a builtin), runs /bin/echo (a
# child) and writes to stderr through a subshell (a grandchild's builtin); shellsnoop given its
# PID shows all three, in order, exactly as written, though the shell's output goes to
# /dev/null. Another process's output is not shown.
. "$(dirname "$0")/lib.sh"
mkfifo "$TMPD/fifo" || skip "cannot make a FIFO"
sh -c "read x <'$TMPD/fifo'; echo one-$MARKER; /bin/echo two-$MARKER; (echo three-$MARKER >&2)" \
	>/dev/null 2>&1 & SH=$!
start shellsnoop "$SH"
wait_ready
echo "other-$MARKER" | cat >/dev/null
echo go >"$TMPD/fifo"
wait "$SH"
sleep 0.5
stop
[ "$(cat "$OUT")" = "$(printf 'one-%s\ntwo-%s\nthree-%s' "$MARKER" "$MARKER" "$MARKER")" ] ||
	fail "expected exactly the three lines the shell tree wrote"
"$BCCT" shellsnoop >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "no PID: expected exit 2"
pass

#!/bin/sh
# elfsnoop: a copy of true named after the marker is exec'd by path; its line shows that path as
# INTERPRETER and FILE, its inode, and RET 0, with the PID that exec'd it. -p keeps one process.
. "$(dirname "$0")/lib.sh"
BIN="$TMPD/$MARKER"
cp "$(command -v true)" "$BIN" 2>/dev/null || cp /bin/true "$BIN" || skip "no true to copy"
INO=$(stat -c %i "$BIN")

start elfsnoop
wait_ready
sh -c "exec '$BIN'" & P=$!
wait "$P"
sleep 0.5
stop
expect_header "Tracing ELF loads. Ctrl-C to end"
expect_header "$(printf '%-8s %-6s %-18s %-18s %-10s %-6s %s' TIME PID INTERPRETER FILE MOUNT INODE RET)"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} $(printf '%-6s' "$P") $BIN $BIN [^ ]+ +$INO +0$"

start elfsnoop -p $$
wait_ready
"$BIN"
sleep 0.5
stop
expect_not "$MARKER"
pass

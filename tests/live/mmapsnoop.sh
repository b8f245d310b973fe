#!/bin/sh
# mmapsnoop: a marker-named fileops maps 4 KiB of a marker file shared and read-only 20 times:
# 20 lines with its PID, "R--", "S---", offset 0, 4 KB and the file's name, in the book's
# "%-6d %-14.14s %-4s %-5s %-8d %-8d %s" columns, and no anonymous mapping.
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(printf '%.14s' "mm$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
head -c 4096 /dev/zero >"$TMPD/f$MARKER"
start mmapsnoop -T --comm "$NAME"
wait_ready
"$TMPD/$NAME" mmap "$TMPD/f$MARKER" 20 & WPID=$!
wait "$WPID" || fail "workload failed"
sleep 0.3
stop
expect_header "TIME     PID    COMM           PROT MAP   OFFS(KB) SIZE(KB) FILE"
row="^[0-9]{2}:[0-9]{2}:[0-9]{2} $(printf '%-6d %-14s R--  S---  0        4        f%s' "$WPID" "$NAME" "$MARKER")$"
n=$(grep -Ec "$row" "$OUT")
[ "$n" -eq 20 ] || fail "mappings of f$MARKER: $n, want 20"
expect_not "^[0-9:]+ +[0-9]+ +[^ ]+ +[RWE-]{3} +...A "
methods
pass "$n mappings"

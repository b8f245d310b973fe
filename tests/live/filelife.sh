#!/bin/sh
# filelife: files created and removed while tracing, with known ages.
#  1. -p on a marker-named fileops that creates a file, waits 600 ms and unlinks it by absolute
#     path: one row, its comm, pid and age; a file another process makes meanwhile is left out.
#  2. unfiltered: files removed by rm and unlink (unlinkat/unlink, relative to the cwd, in a
#     subdirectory) show; a file created before the run and removed during it does not (its
#     birth was not seen).
. "$(dirname "$0")/lib.sh"
need_workload fileops
NAME=$(printf '%.15s' "fl$MARKER")
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
mkdir "$TMPD/d" "$TMPD/d/sub"
HEADER="TIME     PID     COMM             AGE(s)  FILE"
row() { grep -E "^[0-9]{2}:[0-9]{2}:[0-9]{2} $1 +$2 +([0-9]+\.[0-9]{2}) +$3\$" "$OUT"; }
age_in() { awk -v a="$(echo "$1" | awk '{ print $4 }')" -v lo="$2" -v hi="$3" 'BEGIN { exit !(a >= lo && a < hi) }'; }

"$TMPD/$NAME" life "$TMPD/go" "$TMPD/d/$MARKER.abs" 600 &
WPID=$!
start filelife -p "$WPID"
wait_ready
: >"$TMPD/d/$MARKER.notme"; rm "$TMPD/d/$MARKER.notme"
: >"$TMPD/go"
wait "$WPID" || fail "workload failed"
sleep 0.3
stop
expect_header "$HEADER"
r=$(row "$WPID" "$NAME" "$MARKER.abs") || fail "no row for the fileops file"
age_in "$r" 0.55 2.5 || fail "age of the fileops file: $r, expected ~0.6 s"
expect_not "$MARKER\\.notme"
[ "$(grep -c "$MARKER" "$OUT")" -eq 1 ] || fail "expected one row"

: >"$TMPD/d/$MARKER.old"
start filelife
wait_ready
(cd "$TMPD/d" && echo b >"$MARKER.rel" && sleep 0.2 && unlink "$MARKER.rel" &&
	: >"sub/$MARKER.sub" && rm "sub/$MARKER.sub" && : >"./$MARKER.dot" && rm -f "./$MARKER.dot" &&
	rm "$MARKER.old") || fail "workload failed"
sleep 0.3
stop
expect_header "$HEADER"
# Any comm: busybox may run rm and unlink inside the shell.
r=$(row "[0-9]+" "[^ ]+" "$MARKER.rel") || fail "no row for the file removed by unlink"
age_in "$r" 0.15 2 || fail "age of .rel: $r, expected ~0.2 s"
row "[0-9]+" "[^ ]+" "$MARKER.sub" >/dev/null || fail "no row for the file in a subdirectory"
row "[0-9]+" "[^ ]+" "$MARKER.dot" >/dev/null || fail "no row for ./FILE"
expect_not "$MARKER\\.old"
pass

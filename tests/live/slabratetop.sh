#!/bin/sh
# slabratetop: a marker-named memops opens and closes /dev/null 5000 times (a struct file each,
# from the filp cache). With --comm, in one interval, the filp row counts at least
# 5000 allocations and exactly its object size (/proc/slabinfo) in bytes per allocation, under
# BCC's title, header and "%-32s %6d %10d" columns. Then a bad -s.
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "sl$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
# One 5 s interval that ends the run: where the opens take seconds (an emulated guest), counts
# made while an interval's rows are read and cleared are lost (as in BCC).
start slabratetop -C --comm "$NAME" 5 1
wait_ready
"$TMPD/$NAME" open 5000 || fail "workload failed"
wait_exit 30
expect_header "CACHE                            ALLOCS      BYTES"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} loadavg: [0-9.]+ "
expect "^Detaching...$"
# The cache a struct file comes from: filp, unless this kernel merged it into another cache.
CACHE=filp
SIZE=$(awk '$1 == "filp" { print $4 }' /proc/slabinfo 2>/dev/null)
got=$(awk -v c="$CACHE" '$1 == c && NF == 3 {
		if ($0 !~ /^[^ ]+ +[0-9]+ +[0-9]+$/ || length($0) != 50) { print "bad row: " $0; exit 1 }
		n += $2; b += $3 }
	END { printf "%d %d\n", n, b }' "$OUT") || fail "$got"
set -- $got
[ "$1" -ge 5000 ] || fail "$CACHE allocations of $NAME: $1, want >= 5000"
if [ -n "$SIZE" ]; then
	[ "$2" -eq $(( $1 * SIZE )) ] || fail "$CACHE bytes: $2, want $1 x $SIZE"
fi
"$BCCT" slabratetop -s bogus >"$OUT" 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "-s bogus: exit $rc, want 2 and one line"
methods
pass "$1 filp allocations, $2 bytes"

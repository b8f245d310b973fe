#!/bin/sh
# cachetop: marker-named fileops reads an 8 MiB marker file after drop_caches, then again, 2 s
# apart, with 1-second refreshes into a file (no screen clearing). Its rows (BCC's arithmetic:
# HITS = accesses, MISSES = pages added) must show the file's 2048 pages within 5%: accessed
# and added on the cold read (READ_HIT% near 50), accessed only on the warm one (100%). Then -s
# and a bad -s. Where the test directory is tmpfs, the file is read through a loop device. (The
# workload's own pages come back in a run of their own before the reads.)
. "$(dirname "$0")/lib.sh"
need_workload fileops
. "$(dirname "$0")/_lib_cache.sh"
NAME=$(echo "$MARKER" | cut -c1-15)
PAGES=2048
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
cache_data $PAGES
within() { [ "$1" -ge $(($2 - $2 * $3 / 100)) ] && [ "$1" -le $(($2 + $2 * $3 / 100)) ]; }

start cachetop -C -r 1000 1
wait_ready
echo 3 >/proc/sys/vm/drop_caches
# The workload comes back into the cache in an interval of their own.
"$TMPD/$NAME" lookup "$TMPD" 1
sleep 1.5
"$TMPD/$NAME" read "$DATA" 4096
sleep 2
"$TMPD/$NAME" read "$DATA" 4096
sleep 1.5
stop
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} Buffers MB: [0-9]+ / Cached MB: [0-9]+ / Sort: hits / Order: descending$"
expect_header "PID      UID      CMD              HITS     MISSES   DIRTIES  READ_HIT%  WRITE_HIT%"
! grep -q "$(printf '\033')" "$OUT" || fail "escape sequences in output to a file"
# Rows are per process and interval: each run of the workload is one PID (lookup, cold read,
# warm read), and a read that a busy machine stretches across a refresh shows in two rows, so
# each PID's rows are summed (PID HITS MISSES DIRTIES, the last READ_HIT%), in order of appearance.
grep -E "^ +[0-9]+ root +$NAME " "$OUT" | awk '
	!($1 in hits) { order[n++] = $1 }
	{ hits[$1] += $4; misses[$1] += $5; dirties[$1] += $6; pct[$1] = $7 }
	END { for (i = 0; i < n; i++) print order[i], hits[order[i]], misses[order[i]], dirties[order[i]], pct[order[i]] }' |
	awk -v p=$PAGES '$2 > p / 2' >"$TMPD/rows"
[ "$(wc -l <"$TMPD/rows")" -eq 2 ] || fail "expected two processes of $NAME reading (cold and warm): $(cat "$TMPD/rows")"
set -- $(head -1 "$TMPD/rows")
within "$2" $PAGES 5 || fail "cold read: HITS $2, expected $PAGES +-5%"
within "$3" $PAGES 5 || fail "cold read: MISSES $3, expected $PAGES +-5%"
set -- $(tail -1 "$TMPD/rows")
within "$2" $PAGES 5 || fail "warm read: HITS $2, expected $PAGES +-5%"
[ "$3" -le $((PAGES / 20)) ] || fail "warm read: MISSES $3, expected under 5%"
[ "$5" = "100.0%" ] || [ "$3" -gt 0 ] || fail "warm read: READ_HIT% $5"

# -s misses --ascending -r 3: three rows, smallest misses first.
start cachetop -C -s misses --ascending -r 3 1
wait_ready
sleep 1.2
stop
expect "Sort: misses / Order: ascending$"
awk '/^PID/ { n = 0; next } /^ +[0-9]+ / { n++; if (n > 3) bad = 1 } END { exit bad }' "$OUT" ||
	fail "more than 3 rows per refresh with -r 3"

"$BCCT" cachetop -s nope 2>"$ERR" >"$OUT"; rc=$?
[ "$rc" -eq 2 ] || fail "bad -s exited $rc, expected 2"
expect_err "invalid choice 'nope'"
pass

#!/bin/sh
# cachestat: marker-named fileops (--comm) reads an 8 MiB marker file after `echo 3 >
# /proc/sys/vm/drop_caches` (misses), then again (hits). Each read's rows must count the file's
# 2048 pages within 5% as misses, then as hits, the other column under 5% (the cold read's hits
# under 10%). -T adds the time.
# Where the test directory is tmpfs, the file is read through a loop device (_lib_cache.sh).
. "$(dirname "$0")/lib.sh"
need_workload fileops
. "$(dirname "$0")/_lib_cache.sh"
NAME=$(echo "$MARKER" | cut -c1-15)
PAGES=2048
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
cache_data $PAGES

# One line per read, "HITS MISSES HITRATIO": the rows that counted anything, consecutive ones
# summed (a read that a slow machine stretches across an interval's end shows in two rows; the
# 2 s between the reads always hold a whole interval, an empty row), the ratio of its last row.
reads() {
	grep -E '^[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]+ +[0-9]+ ' "$OUT" | awk '
		$2 + $3 > 0 { hits += $2; misses += $3; ratio = $5; in_read = 1; next }
		in_read { print hits, misses, ratio; hits = misses = in_read = 0 }
		END { if (in_read) print hits, misses, ratio }'
}
within() {   # within VALUE EXPECTED PERCENT
	[ "$1" -ge $(($2 - $2 * $3 / 100)) ] && [ "$1" -le $(($2 + $2 * $3 / 100)) ]
}

start cachestat -T --comm "$NAME" 1
wait_ready
echo 3 >/proc/sys/vm/drop_caches
"$TMPD/$NAME" read "$DATA" 4096
sleep 2
"$TMPD/$NAME" read "$DATA" 4096
sleep 1.5
stop
expect_header "TIME         HITS   MISSES  DIRTIES HITRATIO   BUFFERS_MB  CACHED_MB"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+\.[0-9]{2}% +[0-9]+ +[0-9]+$"
[ "$(reads | wc -l)" -eq 2 ] || fail "expected counts from two reads (the cold and the warm one)"
set -- $(reads | head -1)
within "$2" $PAGES 5 || fail "cold read: $2 misses, expected $PAGES +-5%"
# Under 10%: BCC's arithmetic is per interval (hits = accesses - additions, at least 0), and a
# cold read spread over several rows has read-ahead's additions in one row and the accesses to
# those pages in the next (6.12 guest: 0+0+109 hits, 188+672+1135 misses; 56 hits in one row).
[ "$1" -le $((PAGES / 10)) ] || fail "cold read: $1 hits, expected under 10%"
set -- $(reads | tail -1)
within "$1" $PAGES 5 || fail "warm read: $1 hits, expected $PAGES +-5%"
[ "$2" -le $((PAGES / 20)) ] || fail "warm read: $2 misses, expected under 5%"
[ "$3" = "100.00%" ] || [ "$2" -gt 0 ] || fail "warm read: hit ratio $3"
pass

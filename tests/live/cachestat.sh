#!/bin/sh
# cachestat: marker-named fileops (--comm) reads an 8 MiB marker file after `echo 3 >
# /proc/sys/vm/drop_caches` (misses), then again (hits). Each read's row must count the file's
# 2048 pages within 5% as misses, then as hits, the other column under 5%. -T adds the time.
# Where the test directory is tmpfs, the file is read through a loop device (_lib_cache.sh).
. "$(dirname "$0")/lib.sh"
need_workload fileops
. "$(dirname "$0")/_lib_cache.sh"
NAME=$(echo "$MARKER" | cut -c1-15)
PAGES=2048
cp "$WORKLOADS/fileops" "$TMPD/$NAME"
cache_data $PAGES

# col N: column N of the row that counted anything (one row per read: 2 s apart).
rows() { grep -E '^[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]+ +[0-9]+ ' "$OUT" | awk '$2 + $3 > 0'; }
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
[ "$(rows | wc -l)" -eq 2 ] || fail "expected two rows with counts (the cold and the warm read)"
set -- $(rows | head -1)
within "$3" $PAGES 5 || fail "cold read: $3 misses, expected $PAGES +-5%"
[ "$2" -le $((PAGES / 20)) ] || fail "cold read: $2 hits, expected under 5%"
set -- $(rows | tail -1)
within "$2" $PAGES 5 || fail "warm read: $2 hits, expected $PAGES +-5%"
[ "$3" -le $((PAGES / 20)) ] || fail "warm read: $3 misses, expected under 5%"
[ "$5" = "100.00%" ] || [ "$3" -gt 0 ] || fail "warm read: hit ratio $5"
pass

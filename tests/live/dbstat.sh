#!/bin/sh
# dbstat on PostgreSQL (a cluster this test makes with initdb as the user postgres and drops):
# three queries sleeping 20 ms land in the 16 -> 31 bucket of "query latency (ms)" (the
# cluster's own background queries, if any, are quicker); -u counts them in microseconds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_pg.sh"
pg_start

start dbstat postgres
wait_ready
for i in 1 2 3; do pg_query "SELECT pg_sleep(0.02), 'st_$MARKER'"; done
sleep 0.3
stop
expect "^Tracing database queries for pids [0-9, ]+ slower than 0 ms\.\.\.$"
expect "query latency \(ms\) +: count +distribution"
expect "^ +16 -> 31 +: 3 +\|"

start dbstat postgres -u -m 10
wait_ready
pg_query "SELECT pg_sleep(0.02), 'st_$MARKER'"
pg_query "SELECT 'fast_$MARKER'"
sleep 0.3
stop
expect "query latency \(us\) +: count +distribution"
expect "^ +16384 -> 32767 +: 1 +\|"
[ "$(awk '/-> / { n += $5 } END { print n }' "$OUT")" -eq 1 ] || fail "-m 10: expected only the slow query"
pass

#!/bin/sh
# dbslower on MySQL's probes (the fixture) and on PostgreSQL (a cluster this test makes with initdb as the user postgres and drops):
# dbslower postgres finds the cluster's processes by name and traces its binary, the backends
# started later included; a 60 ms query carrying the marker is printed with its time, PID, MS
# (at least 60) and text in BCC's columns, a 1 ms one is not (-m 20); --json has lat_ns.
. "$(dirname "$0")/lib.sh"

# MySQL is not installed: its probes (query text at query__start, none at query__done) through
# the fixture, 3 queries of 2 ms.
. "$(dirname "$0")/_lib_fixture.sh"
go_fixture mysql 3 dbslower mysql -m 1 -p
expect "^Tracing database queries for pids $FPID slower than 1 ms\.\.\.$"
[ "$(grep -Ec "^[0-9]+\.[0-9]{6} +$FPID +[0-9]+\.[0-9]{3} SELECT 'm_$MARKER'$" "$OUT")" -eq 3 ] ||
	fail "dbslower mysql: expected 3 queries"

. "$(dirname "$0")/_lib_pg.sh"
pg_start

start dbslower postgres -m 20
wait_ready
pg_query "SELECT pg_sleep(0.06), 'slow_$MARKER'"
pg_query "SELECT 'fast_$MARKER'"
sleep 0.3
stop
expect "^Tracing database queries for pids [0-9, ]+ slower than 20 ms\.\.\.$"
expect_header "TIME(s)        PID           MS QUERY"
expect "^[0-9]+\.[0-9]{6} +[0-9]+ +([6-9][0-9]|[1-9][0-9]{2,})\.[0-9]{3} SELECT pg_sleep\(0\.06\), 'slow_$MARKER'$"
expect_not "fast_$MARKER"
line=$(grep -m1 "slow_$MARKER" "$OUT"); set -- $line
[ "$line" = "$(printf '%-14s %-7d %8s %s' "$1" "$2" "$3" "SELECT pg_sleep(0.06), 'slow_$MARKER'")" ] ||
	fail "the row is not BCC's %-14.6f %-7d %8.3f %s: '$line'"

start dbslower postgres -m 20 --json
wait_ready
pg_query "SELECT pg_sleep(0.03), 'json_$MARKER'"
sleep 0.3
stop
expect "^\{\"ts\":\"[^\"]+\",\"ts_ns\":[0-9]+,\"time_s\":[0-9.e-]+,\"pid\":[0-9]+,\"lat_ns\":[0-9]{8,},\"query\":\"SELECT pg_sleep\(0\.03\), 'json_$MARKER'\"\}$"

"$BCCT" dbslower oracle >/dev/null 2>"$ERR" && fail "db oracle accepted"
pass

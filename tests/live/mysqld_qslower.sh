#!/bin/sh
# mysqld_qslower on MySQL's query probes through the fixture (Debian's mariadb has no USDT, and
# MySQL is not packaged): 3 queries of 2 ms carrying the marker print in BCC's columns
# (TIME(s) since the first query, PID, MS, QUERY) after BCC's banner; a 50 ms threshold keeps
# them all out; a missing PID is a usage error (exit 2), a PID without the probes a one-line
# failure (exit 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fixture.sh"

go_fixture mysql 3 mysqld_qslower
expect "^Tracing MySQL server queries for PID $FPID slower than 1 ms\.\.\.$"
expect_header "TIME(s)        PID           MS QUERY"
[ "$(grep -Ec "^[0-9]+\.[0-9]{6} +$FPID +[0-9]+\.[0-9]{3} SELECT 'm_$MARKER'$" "$OUT")" -eq 3 ] ||
	fail "expected 3 queries: $(cat "$OUT")"
expect "^0\.000000 +$FPID "
line=$(grep -m1 "m_$MARKER" "$OUT"); set -- $line
[ "$line" = "$(printf '%-14s %-7d %8s %s' "$1" "$2" "$3" "SELECT 'm_$MARKER'")" ] ||
	fail "the row is not BCC's %-14.6f %-7d %8.3f %s: '$line'"

rm -f "$TMPD/go"
"$WORKLOADS/rt_fixture" mysql "$TMPD/go" "m_$MARKER" 3 & FPID=$!
start mysqld_qslower "$FPID" 50
wait_ready
touch "$TMPD/go"; wait "$FPID"
stop
expect "^Tracing MySQL server queries for PID $FPID slower than 50 ms\.\.\.$"
expect_not "m_$MARKER"

"$BCCT" mysqld_qslower >/dev/null 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "no PID: want one line and exit 2, got $rc: $(cat "$ERR")"
"$BCCT" mysqld_qslower $$ >/dev/null 2>"$ERR"; rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && grep -q 'no USDT probes mysql:query__start' "$ERR" ||
	fail "a shell's PID: want one line and exit 1, got $rc: $(cat "$ERR")"
pass

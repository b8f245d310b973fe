# PostgreSQL for the database tests (dbslower.sh, dbstat.sh); source it after lib.sh, it is not
# a test itself. pg_start makes a cluster of our own as the unprivileged user postgres (initdb
# refuses root) in a directory of its own, listening only on a Unix socket there, and starts
# it; pg_query SQL runs one query through psql; the EXIT trap stops the cluster and removes it.
# Debian's postgres 15 carries the postgresql:query__start/query__done USDT probes.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || skip "no PostgreSQL server (scripts/deps installs postgresql)"
has_cmd psql || skip "no psql"
id postgres >/dev/null 2>&1 || skip "no user postgres to run the cluster as"
has_cmd runuser || skip "no runuser"
"$BCCT" tplist -l "$PGBIN/postgres" 2>/dev/null | grep -q 'postgresql:query__start' ||
	skip "$PGBIN/postgres has no postgresql:query__start USDT probe"
PGD=$(mktemp -d /tmp/bcct-pg.XXXXXX)
PGPORT=$((20000 + $$ % 20000))
chown postgres "$PGD"
pg_cleanup() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGD/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$PGD"
	cleanup
}
trap 'pg_cleanup' EXIT
pg_start() {
	runuser -u postgres -- "$PGBIN/initdb" -D "$PGD/data" -A trust >"$PGD/initdb.log" 2>&1 ||
		fail "initdb failed: $(tail -n 3 "$PGD/initdb.log")"
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w -t 60 \
		-o "-k $PGD -p $PGPORT -c listen_addresses=" start >/dev/null 2>&1 ||
		fail "the cluster did not start: $(tail -n 3 "$PGD/log")"
}
pg_query() {
	runuser -u postgres -- psql -X -q -h "$PGD" -p "$PGPORT" -d postgres -c "$1" >/dev/null 2>&1 ||
		fail "query failed: $1"
}

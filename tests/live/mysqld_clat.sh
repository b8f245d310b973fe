#!/bin/sh
# mysqld_clat on MySQL's command probes through the fixture (no MySQL with USDT here): 20
# commands of about 2 ms each (a query inside each) make one log2 histogram of microseconds
# holding all 20, in the 2048 -> 4095 bucket (4096 -> 8191 on a slow machine); --json has one
# histogram in usecs with a count of 20.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_fixture.sh"

go_fixture mysql 20 mysqld_clat
expect "^Tracing mysqld command latency\.\.\. Hit Ctrl-C to end\.$"
expect "^ +usecs +: count +distribution$"
total=$(awk '/->/ { n += $5 } END { print n + 0 }' "$OUT")
[ "$total" -eq 20 ] || fail "expected 20 commands in the histogram, got $total: $(cat "$OUT")"
expect "^ +(2048 -> 4095|4096 -> 8191) +: [1-9]"

go_fixture mysql 20 mysqld_clat --json
expect "^\{\"ts\":\"[^\"]+\",\"ts_ns\":[0-9]+,\"hists\":\[\{\"unit\":\"usecs\",\"buckets\":\[.*\]\}\]\}$"

"$BCCT" mysqld_clat >/dev/null 2>"$ERR"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ERR")" -eq 1 ] || fail "no PID: want one line and exit 2, got $rc"
pass

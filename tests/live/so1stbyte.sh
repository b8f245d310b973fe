#!/bin/sh
# so1stbyte: a marker-named workload connects over loopback and its server answers the first
# byte after 50 ms, twice (IPv4, and IPv6 where it works): each run is one histogram section
# (comm, pid) with its one sample at 32768 us or above; the server's reads on accepted sockets
# add nothing. -p keeps only the process asked for.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start so1stbyte
wait_ready
sock tcp 4 1000 50; P1=$P
if sock_ipv6; then sock tcp 6 1000 50; else sock tcp 4 1000 50; fi; P2=$P
sleep 0.3
stop
expect "^Tracing IP socket first-read-byte latency. Ctrl-C to end.$"
for p in $P1 $P2; do
	sed -n "/^comm = $SNAME, pid = $p\$/,/^\$/p" "$OUT" >"$TMPD/h"
	[ -s "$TMPD/h" ] || fail "no histogram for pid $p"
	grep -Eq '^ +usecs +: count +distribution$' "$TMPD/h" || fail "no usecs header"
	n=$(awk -F: '/->/ { split($2, a, "|"); s += a[1] } END { print s + 0 }' "$TMPD/h")
	[ "$n" -eq 1 ] || fail "pid $p: $n samples, expected the one connected socket's"
	awk '/->/ { split($0, f, ":"); split(f[2], c, "|"); if (c[1] + 0 > 0 && $1 + 0 < 32768) bad = 1 }
	     END { exit bad }' "$TMPD/h" || fail "pid $p: first byte sooner than the 50 ms delay"
done

start so1stbyte -p "$$"
wait_ready
sock tcp 4 1000 0
sleep 0.3
stop
expect_not "^comm = $SNAME"
pass

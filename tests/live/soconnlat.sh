#!/bin/sh
# soconnlat: a marker-named workload connects over loopback (a blocking connect) and stays alive
# 1.5 s (its server answers late), so the 1-second interval names the user stack's frames
# while the process still exists: connect and main above "COMM [PID]", one sample in the
# histogram. -p keeps only the process asked for (the workload's refused connect is not shown).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_lib_sock.sh"
start soconnlat 1
wait_ready
sock tcp 4 100 1500
sleep 1
stop
expect "^Tracing IP connect\\(\\) latency with ustacks. Ctrl-C to end.$"
sed -n "/^    connect\$/,/^\$/p" "$OUT" >"$TMPD/h"
grep -q "^    main\$" "$TMPD/h" || fail "the stack has no main frame"
grep -q "^    $SNAME \\[$P\\]\$" "$TMPD/h" || fail "no section for $SNAME [$P]"
grep -Eq '^ +usecs +: count +distribution$' "$TMPD/h" || fail "no usecs histogram"
n=$(awk -F: '/->/ { split($2, a, "|"); s += a[1] } END { print s + 0 }' "$TMPD/h")
[ "$n" -eq 1 ] || fail "$n samples, expected the one connect"

start soconnlat -p "$$"
wait_ready
sock refused
sleep 0.3
stop
expect_not "$SNAME \\["
pass

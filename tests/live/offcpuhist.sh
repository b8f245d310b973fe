#!/bin/sh
# offcpuhist: a marker-named memops sleeps 20 times 10 ms from bcct_mo_nap (its own nanosleep
# instruction, so the user stack starts there): a histogram under the marker's "comm [tid]" line
# whose user frames include bcct_mo_nap, at least 20 sleeps of 8 ms or more in it.
. "$(dirname "$0")/lib.sh"
need_workload memops
NAME=$(printf '%.15s' "oc$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
start offcpuhist --comm "$NAME"
wait_ready
"$TMPD/$NAME" nap 20 10 3000 &
WPID=$!
sleep 1.2          # its sleeps done, it holds on (its maps name the frames at Ctrl-C)
stop
wait "$WPID" || fail "workload failed"
expect_header "     nsecs               : count     distribution"
expect "^  bcct_mo_nap$"
expect "^    $NAME \[$WPID\]$"
# The histogram after the stack with bcct_mo_nap: its counts from 2^23 ns (8.4 ms) up.
n=$(awk '/^  bcct_mo_nap$/ { s = 1 } s && $4 == ":" && $1 >= 8388608 { c += $5 } s && /^$/ { s = 0 } END { print c + 0 }' "$OUT")
[ "$n" -ge 20 ] || fail "sleeps of 8 ms or more from bcct_mo_nap: $n, want >= 20"
pass "$n sleeps"

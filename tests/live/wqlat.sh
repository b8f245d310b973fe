#!/bin/sh
# wqlat: network namespaces made and dropped (unshare -n) queue their cleanup on the "netns"
# workqueue, quiet otherwise: -W prints a "wqname = netns" histogram among the others, -w netns
# prints one histogram counting those works (the cleanup of several namespaces may be one work),
# -N counts in nanoseconds; a name of 32 bytes or more exits 2.
. "$(dirname "$0")/lib.sh"
has_cmd unshare || skip "no unshare command to make network namespaces"
unshare -n true 2>/dev/null || skip "unshare -n fails here (no network namespaces)"

netns_churn() { for i in 1 2 3 4 5; do unshare -n true; sleep 0.05; done; sleep 0.5; }
# Sum of the counts of every histogram row printed.
total() { awk '/ -> / { n += $5 } END { print n + 0 }' "$OUT"; }

start wqlat -W
wait_ready
netns_churn
stop
expect_header "Tracing work queue request latency time... Hit Ctrl-C to end."
expect "^wqname = netns$"
expect "^     usecs               : count     distribution$"

start wqlat -w netns -N
wait_ready
netns_churn
stop
expect "^     nsecs               : count     distribution$"
expect_not "wqname ="
[ "$(grep -c "distribution" "$OUT")" -eq 1 ] || fail "-w netns printed more than one histogram"
n=$(total)
[ "$n" -ge 1 ] && [ "$n" -le 5 ] || fail "-w netns counted $n works for 5 namespaces, expected 1..5"

"$BCCT" wqlat -w 0123456789abcdef0123456789abcdef >/dev/null 2>"$ERR"; [ $? -eq 2 ] || fail "a 32-byte name was not rejected"
pass

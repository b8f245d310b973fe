#!/bin/sh
# softirqs: loopback UDP traffic from a workload raises the NET_RX softirq; -C counts it under
# BCC's header, the default mode totals its time, -d -T with "interval count" prints per-vector
# histograms with timestamps and ends by itself.
. "$(dirname "$0")/lib.sh"
need_workload softirqs_net

start softirqs -C
wait_ready
"$WORKLOADS/softirqs_net" 1 || fail "workload failed"
stop
expect_header "SOFTIRQ          TOTAL_count"
expect "^net_rx +[1-9][0-9]*$"

start softirqs
wait_ready
"$WORKLOADS/softirqs_net" 1 || fail "workload failed"
stop
expect_header "SOFTIRQ          TOTAL_usecs"
expect "^net_rx +[0-9]+$"

# Two 1-second histograms; traffic runs through both.
"$WORKLOADS/softirqs_net" 4 &
WPID=$!
start softirqs -d -T 1 2
wait_exit 15
wait "$WPID"
expect "^softirq = net_rx$"
expect "^ +usecs +: count +distribution$"
[ "$(grep -Ec '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' "$OUT")" -eq 2 ] || fail "expected 2 timestamped intervals"
pass

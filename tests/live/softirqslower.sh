#!/bin/sh
# softirqslower: a marker process sending UDP to itself over loopback runs the NET_RX softirq
# over itself; with a 1 us threshold its runs are printed in BCC's line with the marker as comm,
# and BCC's banner; -c 0 prints CPU 0 only; a threshold of 10 s prints no event at all.
. "$(dirname "$0")/lib.sh"
need_workload softirqs_net
M15=$(printf %.15s "$MARKER")
cp "$WORKLOADS/softirqs_net" "$TMPD/$MARKER"

start softirqslower 1
wait_ready
"$TMPD/$MARKER" 1 || fail "workload failed"
stop
expect_header "Tracing softirq latency higher than 1 us... Hit Ctrl-C to end."
[ "$(sed -n 2p "$OUT")" = "" ] || fail "no empty line after the banner"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} softirq runtime: net_rx took [0-9]+ us \([0-9]+ ms\), on CPU:[0-9]+, comm:$M15$"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} irq\(hard\) to softirq: [a-z_]+ took [0-9]+ us \([0-9]+ ms\), on CPU:[0-9]+, comm:"
# 1 us is the threshold: nothing shorter
grep -E " took 0 us " "$OUT" && fail "events under 1 us printed"

start softirqslower -c 0 1
wait_ready
"$TMPD/$MARKER" 1 || fail "workload failed"
stop
expect " on CPU:0, comm:"
grep " took " "$OUT" | grep -vq " on CPU:0, " && fail "-c 0 printed other CPUs"

start softirqslower 10000000
wait_ready
"$TMPD/$MARKER" 1 || fail "workload failed"
stop
grep -q " took " "$OUT" && fail "events under 10 s printed"
pass

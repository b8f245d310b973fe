#!/bin/sh
# swapin: kprobes only (no tracepoint sees a swap-in). Without kprobes, one line naming them and
# exit 1. With them it attaches and prints its header with the time every second; swap-ins
# need swap space and memory pressure, which the test machines do not make: load-only.
. "$(dirname "$0")/lib.sh"
if [ "$(feature kprobe)" != yes ]; then
	no_method_test swapin
	pass "no kprobes: refused with one line"
fi
start swapin
wait_ready
sleep 1.3
stop
expect_header "COMM             PID     COUNT"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2}$"
load_only "swap-ins need swap and memory pressure: not made here"

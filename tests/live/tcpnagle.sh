#!/bin/sh
# tcpnagle: kprobes on tcp_write_xmit only (no tracepoint there). Without kprobes: one line naming
# the missing kprobe, exit 1. With them: a marker-named workload's loopback sessions (100 KB
# each, Nagle on) give a NAGLE row "ON" with a count, and the blocked_us histogram's header.
. "$(dirname "$0")/lib.sh"
if [ "$(feature kprobe)" != yes ]; then
	no_method_test tcpnagle
	expect_err "kprobe tcp_write_xmit"
	pass "no kprobes: refused with one line"
fi
. "$(dirname "$0")/_lib_sock.sh"
start tcpnagle --comm "$SNAME"
wait_ready
sock tcp 4 100000
sock tcp 4 100000
sleep 0.3
stop
expect "^Tracing TCP nagle and xmit delays. Hit Ctrl-C to end.$"
expect_header "$(printf '%-10s %8s' NAGLE COUNT)"
expect "^ON +[1-9][0-9]*$"
pass

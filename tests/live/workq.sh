#!/bin/sh
# workq: a marker file written and fsync'ed on the host's file system queues writeback and the
# kernel's own periodic work (vmstat_update every second on each CPU): within 2 s at least one
# function's histogram, with BCC's section and usecs header, and vmstat_update named.
. "$(dirname "$0")/lib.sh"
start workq
wait_ready
dd if=/dev/zero of="$TMPD/$MARKER" bs=64k count=16 conv=fsync 2>/dev/null || fail "workload failed"
sleep 2.2
stop
expect "^function = [A-Za-z_][A-Za-z0-9_.]*$"
expect_header "     usecs               : count     distribution"
expect "^function = vmstat_update$"
pass

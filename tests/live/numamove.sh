#!/bin/sh
# numamove: attaches and prints libbpf-tools' header and a line a second (time, two counts).
# NUMA-misplaced migrations need several NUMA nodes and automatic NUMA balancing moving pages:
# no workload here makes them, so the run is load-only.
. "$(dirname "$0")/lib.sh"
start numamove
wait_ready
sleep 1.3
stop
expect_header "$(printf '%-10s %18s %18s' TIME NUMA_migrations NUMA_migrations_ms)"
expect "^[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]+ +[0-9]+$"
# Without kprobes, the raw migrate tracepoints before the classic ones (released at exit in about
# a millisecond instead of tens: bench/ctrlc).
if [ "$(feature kprobe)" != yes ]; then
	expect_err "probe begin: raw_tp mm_migrate_pages_start"
	expect_err "probe end: raw_tp mm_migrate_pages"
fi
load_only "NUMA-misplaced migrations need several NUMA nodes and NUMA balancing: none made here"

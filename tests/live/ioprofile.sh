#!/bin/sh
# ioprofile: a workload named after the marker writes 200 times from bcct_io_writer() and reads
# 100 times from bcct_io_reader(): at Ctrl-C each path is one stack, "[write]" or "[read]", its
# user frames from the function through main, "-  COMM (PID)" and the exact count (-p of the
# workload); -p of another PID sees neither; --json stacks carry syscall, count and user_stack.
. "$(dirname "$0")/lib.sh"

need_workload io_paths
W="$TMPD/$MARKER"
COMM=$(printf '%.15s' "$MARKER")
cp "$WORKLOADS/io_paths" "$W"

# run_paths ARGS...: ioprofile ARGS -p (the workload, or $P) around one run of the workload (the
# whole system's stacks would fill the maps on a busy machine).
run_paths() {
	rm -f "$TMPD/go" "$TMPD/go.done"
	"$W" "$TMPD/go" 200 & IPID=$!
	start ioprofile "$@" -p "${P:-$IPID}"
	wait_ready
	touch "$TMPD/go"
	n=100; until [ -e "$TMPD/go.done" ] || [ "$n" -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
	stop     # the workload still runs: its stacks are symbolized from its maps
	rm -f "$TMPD/go"
	wait "$IPID"
}

run_paths
expect "^Tracing I/O syscall user stacks\. Ctrl-C to end\.$"
# One stack block: [syscall], frames, "-  comm (pid)", the count.
block() {
	awk -v call="    [$1]" -v fn="    $2" -v who="$(printf '    %-16s %s (%d)' - "$COMM" "$IPID")" '
		$0 == call { inb = 1; seen = 0; next }
		inb && $0 == fn { seen = 1 }
		inb && $0 == who { getline n; if (seen) print n + 0; inb = 0 }' "$OUT"
}
[ "$(block write bcct_io_writer)" = 200 ] || fail "no [write] stack through bcct_io_writer counted 200: $(grep -A6 '\[write\]' "$OUT" | head -20)"
[ "$(block read bcct_io_reader)" = 100 ] || fail "no [read] stack through bcct_io_reader counted 100"
grep -A3 -Fx "    bcct_io_writer" "$OUT" | grep -Fxq "    main" || fail "main is not bcct_io_writer's caller"

P=1 run_paths
expect_not "$COMM"

run_paths --json
expect "\{\"comm\":\"$COMM\",\"pid\":$IPID,\"syscall\":\"write\",\"count\":200,\"user_stack\":\[\"bcct_io_writer\",\"main\""
pass

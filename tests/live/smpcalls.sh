#!/bin/sh
# smpcalls: a marker-named memops keeps a thread spinning on CPU 1 while its main thread, on CPU 0,
# makes cross-CPU calls to it. With kprobes (the book's smp_call_function_single and
# smp_call_function_many, timed in the caller): 2000 membarrier(PRIVATE_EXPEDITED) calls, each an
# smp_call_function_many of ipi_mb to CPU 1: --comm keeps the main thread's, at least 200 ipi_mb
# calls timed, in nanoseconds (a call finding the spinner preempted sends nothing). With the csd
# tracepoints instead, the function runs on CPU 1 in the spinner's context, so --comm keeps
# them: 2000 maps, touches and unmaps of a page, each making CPU 1 flush its TLB (flush_tlb_func
# by IPI), at least 200 flush_tlb_func calls timed.
. "$(dirname "$0")/lib.sh"
need_workload memops
[ "$(ncpus)" -ge 2 ] || skip "needs 2 CPUs"
NAME=$(printf '%.15s' "sc$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
if "$BCCT" features | grep -q '^smpcalls .*call_begin=kprobe'; then
	start smpcalls --comm "$NAME"
	wait_ready
	"$TMPD/$NAME" membarrier 2000 || fail "workload failed"
	sleep 0.3
	stop
	expect_header "     nsecs               : count     distribution"
	n=$(awk '/^function = / { f = $3; next } f == "ipi_mb" && $4 == ":" { s += $5 } END { print s + 0 }' "$OUT")
	[ "$n" -ge 200 ] || fail "ipi_mb calls: $n, want >= 200"
	methods
	pass "kprobes: $n ipi_mb calls timed in their caller"
fi
start smpcalls --comm "$NAME"
wait_ready
"$TMPD/$NAME" tlb 2000 || fail "workload failed"
sleep 0.3
stop
expect_header "     nsecs               : count     distribution"
n=$(awk '/^function = / { f = $3; next } f == "flush_tlb_func" && $4 == ":" { s += $5 } END { print s + 0 }' "$OUT")
[ "$n" -ge 200 ] || fail "flush_tlb_func calls: $n, want >= 200"
pass "$n flush_tlb_func calls"

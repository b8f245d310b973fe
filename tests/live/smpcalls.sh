#!/bin/sh
# smpcalls: a marker-named memops keeps a thread spinning on CPU 1 while its main thread, on CPU 0,
# maps, touches and unmaps a page 2000 times: each unmap makes CPU 1 flush its TLB (flush_tlb_func
# by IPI). Here (csd tracepoints) the function runs on CPU 1 in the spinner's context, so --comm
# keeps them: at least 200 flush_tlb_func calls timed, in nanoseconds (some unmaps find the
# spinner preempted on a busy machine). With kprobes, smp_call_function_single is timed in its
# caller, which TLB shootdowns do not call (x86-64 sends them through smp_call_function_many,
# arm64 sends no IPI at all): there the main thread opens and closes a CPU 1 perf event 200 times
# from CPU 0 (memops xcall), which the kernel installs and removes on CPU 1 by
# smp_call_function_single(remote_function): at least 200 such calls timed.
. "$(dirname "$0")/lib.sh"
need_workload memops
[ "$(ncpus)" -ge 2 ] || skip "needs 2 CPUs"
NAME=$(printf '%.15s' "sc$MARKER")
cp "$WORKLOADS/memops" "$TMPD/$NAME"
if "$BCCT" features | grep -q '^smpcalls .*call_begin=kprobe'; then
	start smpcalls
	wait_ready
	"$TMPD/$NAME" xcall 200 || fail "workload failed"
	sleep 0.3
	stop
	expect_header "     nsecs               : count     distribution"
	n=$(awk '/^function = / { f = $3; next } f == "remote_function" && $4 == ":" { s += $5 } END { print s + 0 }' "$OUT")
	[ "$n" -ge 200 ] || fail "remote_function calls: $n, want >= 200"
	pass "kprobes: $n remote_function cross-calls"
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

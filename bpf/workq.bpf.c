/* workq (BPF Performance Tools, ch. 14): work-queue function execution times, from
 * workqueue:workqueue_execute_start(work) to workqueue_execute_end(work, function) of the same
 * worker thread, a histogram per function (bpf/durhist.bpf.h). */
#include "durhist.bpf.h"

struct durhist_wq_start {
	u64 common;
	void *work;
	void *function;
};

SEC("raw_tp/workqueue_execute_start")
int BPF_PROG(wq_start_raw, struct work_struct *work)
{
	return durhist_begin((u64)BPF_CORE_READ(work, func), 0);
}

SEC("tracepoint/workqueue/workqueue_execute_start")
int wq_start_tp(struct durhist_wq_start *ctx) { return durhist_begin((u64)ctx->function, 0); }

SEC("raw_tp/workqueue_execute_end")
int wq_end_raw(void *ctx) { return durhist_end(); }

SEC("tracepoint/workqueue/workqueue_execute_end")
int wq_end_tp(void *ctx) { return durhist_end(); }


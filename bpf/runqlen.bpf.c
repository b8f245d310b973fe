/* runqlen: the length of each CPU's run queue, sampled by a software timer on every CPU. */
#include "bcct.bpf.h"

const volatile bool per_cpu = false;   /* -C: one histogram per CPU */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);       /* CPUs */
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");


/*
 * The sample interrupts whatever runs on this CPU; its scheduling entity leads to the CPU's
 * run queue (cfs_rq->rq, present with group scheduling, as every distribution kernel has).
 * BCC reads cfs_rq->nr_running, which 6.14 renamed to nr_queued and which counts only the
 * task's own group; rq->nr_running counts every runnable task of the CPU, as libbpf-tools does.
 */
SEC("perf_event")
int sample_perf(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	u64 len = BPF_CORE_READ(task, se.cfs_rq, rq, nr_running);
	u32 key = per_cpu ? bpf_get_smp_processor_id() : 0;
	struct bcct_hist *h;

	/* Not counting the task that runs: 0 is idle or one task alone. */
	if (len > 0)
		len--;
	h = bcct_lookup_or_init(&hists, &key, &bcct_zero_hist);
	if (!h)
		return 0;
	bcct_hist_inc(h, len < BCCT_MAX_SLOTS ? len : BCCT_MAX_SLOTS - 1);
	return 0;
}

/* cpuunclaimed: every CPU sampled by a software clock at the same rate; each sample sends the
 * CPU's run-queue length, and user space groups the samples of one tick across CPUs. BCC reads
 * the current task's cfs_rq->nr_running (renamed nr_queued in 6.14, and only the task's own
 * group); rq->nr_running counts every runnable task of the CPU, 0 when it is idle (the idle
 * task's entity points at the CPU's root run queue too). */
#include "bcct.bpf.h"
#include "cpuunclaimed.h"

SEC("perf_event")
int sample_perf(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct cpuunclaimed_event *e = bcct_event_reserve(sizeof(*e));

	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->cpu = bpf_get_smp_processor_id();
	e->len = BPF_CORE_READ(task, se.cfs_rq, rq, nr_running);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

/* runqslower: each wait on a run queue (wakeup or preemption to running) above a threshold. */
#include "bcct.bpf.h"
#include "sched.bpf.h"
#include "runqslower.h"

const volatile unsigned long long min_us = 10000;

static __always_inline int on_switch(void *ctx, struct task_struct *prev, struct task_struct *next)
{
	s64 delta = runq_switch(prev, next);
	struct runqslower_event *e;
	u64 delta_us;

	if (delta < 0)
		return 0;   /* not seen waiting, or clock skew between CPUs */
	delta_us = (u64)delta / 1000;
	if (min_us && delta_us <= min_us)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->pid = BPF_CORE_READ(next, pid);
	e->prev_pid = BPF_CORE_READ(prev, pid);
	e->delta_us = delta_us;
	e->ts = bpf_ktime_get_ns();
	BPF_CORE_READ_STR_INTO(&e->task, next, comm);
	BPF_CORE_READ_STR_INTO(&e->prev_task, prev, comm);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{ return on_switch(ctx, prev, next); }
SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{ return on_switch(ctx, prev, next); }

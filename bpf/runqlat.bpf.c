/* runqlat: time from wakeup (or preemption) to running, as a log2 histogram. */
#include "bcct.bpf.h"
#include "sched.bpf.h"

const volatile bool targ_ms = false;
const volatile bool per_process = false;   /* -P: one histogram per process (tgid) */
const volatile bool per_thread = false;    /* -L: per thread */
const volatile bool per_pidns = false;     /* --pidnss: per PID namespace */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline int on_switch(struct task_struct *prev, struct task_struct *next)
{
	s64 delta = runq_switch(prev, next);
	u32 key = 0;

	if (delta < 0)
		return 0;
	if (per_process)
		key = BPF_CORE_READ(next, tgid);
	else if (per_thread)
		key = BPF_CORE_READ(next, pid);
	else if (per_pidns)
		key = BPF_CORE_READ(next, nsproxy, pid_ns_for_children, ns.inum);
	bcct_hist_add_log2(&hists, &key, (u64)delta / (targ_ms ? 1000000 : 1000));
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{ return on_switch(prev, next); }
SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{ return on_switch(prev, next); }

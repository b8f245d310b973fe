/* runqlat: time from wakeup (or preemption) to running, as a log2 histogram. */
#include "bcct.bpf.h"

const volatile bool targ_ms = false;
const volatile bool per_process = false;   /* -P: one histogram per process (tgid) */
const volatile bool per_thread = false;    /* -L: per thread */
const volatile bool per_pidns = false;     /* --pidnss: per PID namespace */

#define TASK_RUNNING 0

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static const struct bcct_hist zero_hist;

static __always_inline int enqueue(struct task_struct *p)
{
	u32 tgid = BPF_CORE_READ(p, tgid), pid = BPF_CORE_READ(p, pid);
	u64 ts;

	if (!pid || !bcct_filter_task(tgid, pid))
		return 0;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
	return 0;
}

static __always_inline int on_switch(struct task_struct *prev, struct task_struct *next)
{
	u32 pid = BPF_CORE_READ(next, pid), key = 0;
	struct bcct_hist *h;
	u64 *tsp, delta;

	/* A task preempted while runnable waits on the run queue from now. */
	if (bcct_task_state(prev) == TASK_RUNNING)
		enqueue(prev);
	tsp = bpf_map_lookup_elem(&start, &pid);
	if (!tsp)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	bpf_map_delete_elem(&start, &pid);
	if ((s64)delta < 0)
		return 0;
	delta /= targ_ms ? 1000000 : 1000;
	if (per_process)
		key = BPF_CORE_READ(next, tgid);
	else if (per_thread)
		key = pid;
	else if (per_pidns)
		key = BPF_CORE_READ(next, nsproxy, pid_ns_for_children, ns.inum);
	h = bcct_lookup_or_init(&hists, &key, &zero_hist);
	if (h)
		__sync_fetch_and_add(&h->slots[bcct_log2_slot(delta)], 1);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup_btf, struct task_struct *p) { return enqueue(p); }
SEC("raw_tp/sched_wakeup")
int BPF_PROG(sched_wakeup_raw, struct task_struct *p) { return enqueue(p); }

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new_btf, struct task_struct *p) { return enqueue(p); }
SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new_raw, struct task_struct *p) { return enqueue(p); }

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{ return on_switch(prev, next); }
SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{ return on_switch(prev, next); }

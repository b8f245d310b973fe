/* Run-queue waits, shared by runqlat and runqslower: a task waits from its wakeup (or from being
 * preempted while runnable) until sched_switch puts it on a CPU. Include after bcct.bpf.h; the
 * tool defines its sched_switch programs around runq_switch() and attaches the wakeup programs
 * defined here (probes "sched_wakeup" and "sched_wakeup_new"). */
#ifndef BCCT_SCHED_BPF_H
#define BCCT_SCHED_BPF_H

#define TASK_RUNNING 0

/* thread ID -> when it started waiting, ns */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} runq_start SEC(".maps");

/* The subject is the woken (or preempted) task, not `current`: the filters apply to it. */
static __always_inline int runq_enqueue(struct task_struct *p)
{
	u32 pid = BPF_CORE_READ(p, pid);
	u64 ts;

	if (!pid || !bcct_filter_of(p))
		return 0;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&runq_start, &pid, &ts, BPF_ANY);
	return 0;
}

/* At sched_switch: how long next waited on the run queue, in ns; negative when its wait was not
 * seen (filtered out, or begun before tracing) or the clocks of two CPUs disagree. */
static __always_inline s64 runq_switch(struct task_struct *prev, struct task_struct *next)
{
	u32 pid = BPF_CORE_READ(next, pid);
	u64 *tsp;
	s64 delta;

	/* A task preempted while runnable waits on the run queue from now. */
	if (bcct_task_state(prev) == TASK_RUNNING)
		runq_enqueue(prev);
	tsp = bpf_map_lookup_elem(&runq_start, &pid);
	if (!tsp)
		return -1;
	delta = bpf_ktime_get_ns() - *tsp;
	bpf_map_delete_elem(&runq_start, &pid);
	return delta;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup_btf, struct task_struct *p) { return runq_enqueue(p); }
SEC("raw_tp/sched_wakeup")
int BPF_PROG(sched_wakeup_raw, struct task_struct *p) { return runq_enqueue(p); }

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new_btf, struct task_struct *p) { return runq_enqueue(p); }
SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new_raw, struct task_struct *p) { return runq_enqueue(p); }
#endif

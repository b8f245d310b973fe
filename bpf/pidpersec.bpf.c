/* pidpersec: new processes (forks) counted per second.
 *
 * BCC counts calls of sched_fork, which copy_process makes for every new task, threads too.
 * Without fentry and kprobes, sched:sched_process_fork, which copy_process's caller fires once
 * the task exists: a fork failing after sched_fork is not counted. */
#include "bcct.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

static __always_inline int count(void)
{
	u32 zero = 0;
	u64 *v;

	if (!bcct_filter_current())
		return 0;
	v = bpf_map_lookup_elem(&stats, &zero);
	if (v)
		(*v)++;
	return 0;
}

SEC("fentry/sched_fork")
int BPF_PROG(sched_fork_fentry) { return count(); }

SEC("kprobe/sched_fork")
int BPF_KPROBE(sched_fork_kprobe) { return count(); }

SEC("raw_tp/sched_process_fork")
int BPF_PROG(sched_fork_raw) { return count(); }

SEC("tracepoint/sched/sched_process_fork")
int sched_fork_tp(void *ctx) { return count(); }

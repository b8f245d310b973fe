/* pidnss (BPF Performance Tools, ch. 15): context switches between tasks of different PID
 * namespaces (containers and the host), counted by the namespace of the task switched out and
 * its UTS node name. The book at finish_task_switch(prev), where current is the task switched in;
 * else the sched_switch tracepoint's prev and next. */
#include "bcct.bpf.h"
#include "pidnss.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct pidnss_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline u32 pidns_of(struct task_struct *t)
{
	return BPF_CORE_READ(t, nsproxy, pid_ns_for_children, ns.inum);
}

static __always_inline int pidnss_switch(struct task_struct *prev, struct task_struct *next,
					 bool prev_is_current)
{
	struct pidnss_key key = {};
	static const u64 zero;
	u32 next_ns = pidns_of(next);
	u64 *n;

	key.pidns = pidns_of(prev);
	/* An exiting task has no namespaces left (nsproxy NULL: reads as 0). */
	if (!key.pidns || !next_ns || key.pidns == next_ns)
		return 0;
	/* The whole filter (comm, cgroup, ...) where prev is current; else its PID and TID. */
	if (!(prev_is_current ? bcct_filter_current() :
	      bcct_filter_task(BPF_CORE_READ(prev, tgid), BPF_CORE_READ(prev, pid))))
		return 0;
	BPF_CORE_READ_STR_INTO(&key.nodename, prev, nsproxy, uts_ns, name.nodename);
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("kprobe/finish_task_switch")
int BPF_KPROBE(switch_kprobe, struct task_struct *prev)
{
	return pidnss_switch(prev, (struct task_struct *)bpf_get_current_task(), false);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return pidnss_switch(prev, next, true);
}

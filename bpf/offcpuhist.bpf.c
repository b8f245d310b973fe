/* offcpuhist (BPF Performance Tools, ch. 13): off-CPU time in nanoseconds, a histogram per
 * kernel and user stack and thread. As the book at finish_task_switch(prev) (kprobes): the task
 * switched out is timed from then, and the one coming back (current) has its stacks taken and
 * its time counted; else at sched_switch(prev, next), where prev is current: its stacks are
 * taken as it leaves (the same stacks it resumes in) and counted when it is next switched in. */
#include "bcct.bpf.h"
#include "offcpuhist.h"

struct offcpuhist_start {
	u64 ts;
	int kernel_stack_id;
	int user_stack_id;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct offcpuhist_start);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 10240);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 127 * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct offcpuhist_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* The task leaving the CPU (current at sched_switch, not at finish_task_switch). */
static __always_inline void offcpuhist_out(void *ctx, struct task_struct *prev, bool is_current)
{
	struct offcpuhist_start s = { .kernel_stack_id = -1, .user_stack_id = -1 };
	u32 tid = BPF_CORE_READ(prev, pid);

	/* The whole filter (comm, cgroup, ...) where prev is current; else its PID and TID. */
	if (!tid || !(is_current ? bcct_filter_current() :
		      bcct_filter_task(BPF_CORE_READ(prev, tgid), tid)))
		return;
	s.ts = bpf_ktime_get_ns();
	if (is_current) {
		s.kernel_stack_id = bpf_get_stackid(ctx, &stacks, 0);
		s.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	}
	bpf_map_update_elem(&start, &tid, &s, BPF_ANY);
}

/* The task coming back (current at finish_task_switch, next at sched_switch). */
static __always_inline void offcpuhist_in(void *ctx, struct task_struct *t, bool is_current)
{
	u32 tid = BPF_CORE_READ(t, pid);
	struct offcpuhist_start *s = bpf_map_lookup_elem(&start, &tid);
	struct offcpuhist_key key = { .pid = BPF_CORE_READ(t, tgid), .tid = tid };
	u64 delta;

	if (!s)
		return;
	delta = bpf_ktime_get_ns() - s->ts;
	key.kernel_stack_id = s->kernel_stack_id;
	key.user_stack_id = s->user_stack_id;
	bpf_map_delete_elem(&start, &tid);
	if (is_current) {
		key.kernel_stack_id = bpf_get_stackid(ctx, &stacks, 0);
		key.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	}
	BPF_CORE_READ_STR_INTO(&key.comm, t, comm);
	bcct_hist_add_log2(&hists, &key, delta);
}

SEC("kprobe/finish_task_switch")
int BPF_KPROBE(switch_kprobe, struct task_struct *prev)
{
	offcpuhist_out(ctx, prev, false);
	offcpuhist_in(ctx, (struct task_struct *)bpf_get_current_task(), true);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	offcpuhist_out(ctx, prev, true);
	offcpuhist_in(ctx, next, false);
	return 0;
}

/* offcputime: time threads spend blocked, summed by the stack they blocked in.
 *
 * BCC does it at finish_task_switch, where the thread coming back is `current` and its stack
 * is where it slept. Without kprobes the same happens around sched_switch: the thread leaving
 * the CPU is still `current` there, so its stacks are taken when it leaves (they do not change
 * while it sleeps) and its blocked time is added when it is switched back in. */
#include "bcct.bpf.h"
#include "offcputime.h"
#include "offcpu.bpf.h"
#include "ustack.bpf.h"

#define EFAULT 14

const volatile bool user_stacks = true;
const volatile bool kernel_stacks = true;
BCCT_USTACK_DECLARE(struct offcputime_event);      /* --unwind=dwarf; bcct never sends its stacks */

struct start {
	u64 ts;
	struct offcputime_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct offcputime_key);
	__type(value, u64);
} counts SEC(".maps");

/* prev is `current`, about to leave the CPU in `state`. */
static __always_inline void switch_out(void *ctx, struct task_struct *prev, long state)
{
	struct start s = {};
	u32 tid = BPF_CORE_READ(prev, pid);

	if (!tid || !offcpu_thread_wanted(prev, state, true))
		return;   /* the idle task is never "blocked" */
	s.key.pid = tid;
	s.key.tgid = BPF_CORE_READ(prev, tgid);
	bpf_get_current_comm(s.key.comm, sizeof(s.key.comm));
	if (dwarf_stacks) {
		struct offcputime_event *e;

		if (s.key.tgid == self_tgid || !(e = bcct_ustack_event()))
			return;
		e->h.kind = OFFCPUTIME_EV_OUT;
		e->h.tid = tid;
		e->h.delta_us = 0;
		e->key = s.key;
		e->key.user_stack_id = -1;
		e->key.kernel_stack_id = kernel_stacks ? bpf_get_stackid(ctx, &stacks, 0) : -1;
		bcct_ustack_send(ctx, e, user_stacks, stack_dump_size);
		s.ts = bpf_ktime_get_ns();
		bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
		return;
	}
	if (!user_stacks)
		s.key.user_stack_id = -1;
	else if (BPF_CORE_READ(prev, flags) & PF_KTHREAD)
		s.key.user_stack_id = -EFAULT;   /* none, as BCC's get_stackid gives for kthreads */
	else
		s.key.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	s.key.kernel_stack_id = kernel_stacks ? bpf_get_stackid(ctx, &stacks, 0) : -1;
	s.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
}

static __always_inline void switch_in(void *ctx, u32 tid)
{
	static const u64 zero;
	struct start *s = bpf_map_lookup_elem(&starts, &tid);
	u64 delta, *total;

	if (!s)
		return;
	delta = (bpf_ktime_get_ns() - s->ts) / 1000;
	if (dwarf_stacks && offcpu_block_kept(delta)) {
		struct offcputime_event_head e = { .kind = OFFCPUTIME_EV_IN, .tid = tid, .delta_us = delta };

		bcct_event_output(ctx, &e, sizeof(e));
	} else if (offcpu_block_kept(delta)) {
		total = bcct_lookup_or_init(&counts, &s->key, &zero);
		if (total)
			__sync_fetch_and_add(total, delta);
	}
	bpf_map_delete_elem(&starts, &tid);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	switch_out(ctx, prev, preempt ? 0 : bcct_task_state(prev));
	switch_in(ctx, BPF_CORE_READ(next, pid));
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	switch_out(ctx, prev, preempt ? 0 : bcct_task_state(prev));
	switch_in(ctx, BPF_CORE_READ(next, pid));
	return 0;
}

/* The classic tracepoint has no task pointers, but prev is `current`. */
SEC("tracepoint/sched/sched_switch")
int sched_switch_tp(struct trace_event_raw_sched_switch *ctx)
{
	struct task_struct *prev = (struct task_struct *)bpf_get_current_task();

	switch_out(ctx, prev, bcct_task_state(prev));
	switch_in(ctx, ctx->next_pid);
	return 0;
}

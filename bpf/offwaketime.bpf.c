/* offwaketime: blocked time summed by the stacks a thread blocked in and the stacks of the
 * thread that woke it.
 *
 * BCC takes the target's stacks at finish_task_switch (kprobe), where it is `current` again,
 * and the waker's at try_to_wake_up. Without kprobes: the target's stacks are taken at
 * sched_switch when it leaves the CPU (they do not change while it sleeps), as offcputime does,
 * and the waker's at sched_waking, which try_to_wake_up fires in the waker's context (unlike
 * sched_wakeup, which may run on the target's CPU from an IPI). The pieces meet when the target
 * is switched back in. */
#include "bcct.bpf.h"
#include "offwaketime.h"
#include "offcpu.bpf.h"

#define EFAULT 14

const volatile bool user_stacks = true;            /* not -K */
const volatile bool kernel_stacks = true;          /* not -U */

/* thread id -> when it left the CPU, and its stacks then */
struct start {
	u64 ts;
	int k_stack_id;
	int u_stack_id;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct start);
} starts SEC(".maps");

/* thread id of the woken -> who woke it */
struct wokeby {
	char name[16];
	int k_stack_id;
	int u_stack_id;
	u32 w_pid;
	u32 w_tgid;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct wokeby);
} wokeby SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct offwaketime_key);
	__type(value, u64);
} counts SEC(".maps");

/* The stacks of `current` (task t), as BCC's KERNEL_STACK_GET / USER_STACK_GET. */
static __always_inline void current_stacks(void *ctx, struct task_struct *t, int *k, int *u)
{
	*k = kernel_stacks ? bpf_get_stackid(ctx, &stacks, 0) : -1;
	if (!user_stacks)
		*u = -1;
	else if (BPF_CORE_READ(t, flags) & PF_KTHREAD)
		*u = -EFAULT;   /* none, as BCC's get_stackid gives for kthreads */
	else
		*u = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
}

/* `current` wakes p. */
static __always_inline int waking(void *ctx, struct task_struct *p)
{
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();
	u32 tid = BPF_CORE_READ(p, pid);
	u64 id = bpf_get_current_pid_tgid();
	struct wokeby w = {};

	if (!tid || !offcpu_thread_wanted(p, bcct_task_state(p), false))
		return 0;
	bpf_get_current_comm(w.name, sizeof(w.name));
	current_stacks(ctx, cur, &w.k_stack_id, &w.u_stack_id);
	w.w_pid = (u32)id;
	w.w_tgid = id >> 32;
	bpf_map_update_elem(&wokeby, &tid, &w, BPF_ANY);
	return 0;
}

/* prev is `current`, about to leave the CPU in `state`; next comes back. */
static __always_inline void switched(void *ctx, struct task_struct *prev, long state,
				     struct task_struct *next)
{
	static const u64 zero;
	u32 tid = BPF_CORE_READ(prev, pid), next_tid = BPF_CORE_READ(next, pid);
	struct offwaketime_key key = {};
	struct wokeby *w;
	struct start *s;
	u64 delta, *total;

	if (tid && offcpu_thread_wanted(prev, state, true)) {   /* the idle task never blocks */
		struct start st = { .ts = bpf_ktime_get_ns() };

		current_stacks(ctx, prev, &st.k_stack_id, &st.u_stack_id);
		bpf_map_update_elem(&starts, &tid, &st, BPF_ANY);
	}
	s = bpf_map_lookup_elem(&starts, &next_tid);
	if (!s)
		return;   /* missed or filtered when it left the CPU */
	delta = (bpf_ktime_get_ns() - s->ts) / 1000;
	key.t_k_stack_id = s->k_stack_id;
	key.t_u_stack_id = s->u_stack_id;
	bpf_map_delete_elem(&starts, &next_tid);
	w = bpf_map_lookup_elem(&wokeby, &next_tid);
	if (!offcpu_block_kept(delta))
		goto done;
	BPF_CORE_READ_STR_INTO(&key.target, next, comm);
	key.t_pid = next_tid;
	key.t_tgid = BPF_CORE_READ(next, tgid);
	key.w_k_stack_id = key.w_u_stack_id = -EFAULT;   /* no waker seen: no waker stacks */
	if (w) {
		key.w_k_stack_id = w->k_stack_id;
		key.w_u_stack_id = w->u_stack_id;
		key.w_pid = w->w_pid;
		key.w_tgid = w->w_tgid;
		__builtin_memcpy(key.waker, w->name, sizeof(key.waker));
	}
	total = bcct_lookup_or_init(&counts, &key, &zero);
	if (total)
		__sync_fetch_and_add(total, delta);
done:
	if (w)
		bpf_map_delete_elem(&wokeby, &next_tid);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	switched(ctx, prev, preempt ? 0 : bcct_task_state(prev), next);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	switched(ctx, prev, preempt ? 0 : bcct_task_state(prev), next);
	return 0;
}

SEC("raw_tp/sched_waking")
int BPF_PROG(sched_waking_raw, struct task_struct *p) { return waking(ctx, p); }
SEC("tp_btf/sched_waking")
int BPF_PROG(sched_waking_btf, struct task_struct *p) { return waking(ctx, p); }

/* wakeuptime: time threads spend blocked, summed by the kernel stack of the thread that woke
 * them. A thread's block starts at sched_switch (it is `current`, leaving the CPU) and ends
 * when another wakes it: at sched_waking, which try_to_wake_up fires in the waker's context
 * (BCC's raw_tp uses sched_wakeup, which may run on the target's CPU from an IPI with another
 * task current, naming the wrong waker). */
#include "bcct.bpf.h"
#include "wakeuptime.h"
#include "offcpu.bpf.h"                            /* -p, -u, -m, -M */

/* thread id -> when it left the CPU */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct wakeuptime_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int offcpu(struct task_struct *prev)
{
	u32 tid = BPF_CORE_READ(prev, pid);
	u64 ts;

	if (!tid || !offcpu_thread_wanted(prev, 0, true))
		return 0;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&starts, &tid, &ts, BPF_ANY);
	return 0;
}

/* `current` wakes p. */
static __always_inline int waking(void *ctx, struct task_struct *p)
{
	static const u64 zero;
	struct wakeuptime_key key = {};
	u32 tid = BPF_CORE_READ(p, pid);
	u64 delta, *tsp, *total;

	tsp = bpf_map_lookup_elem(&starts, &tid);
	if (!tsp)
		return 0;   /* missed start */
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&starts, &tid);
	if (!offcpu_block_kept(delta))
		return 0;
	key.w_k_stack_id = bpf_get_stackid(ctx, &stacks, 0);
	BPF_CORE_READ_STR_INTO(&key.target, p, comm);
	bpf_get_current_comm(key.waker, sizeof(key.waker));
	total = bcct_lookup_or_init(&counts, &key, &zero);
	if (total)
		__sync_fetch_and_add(total, delta);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev) { return offcpu(prev); }
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev) { return offcpu(prev); }

SEC("raw_tp/sched_waking")
int BPF_PROG(sched_waking_raw, struct task_struct *p) { return waking(ctx, p); }
SEC("tp_btf/sched_waking")
int BPF_PROG(sched_waking_btf, struct task_struct *p) { return waking(ctx, p); }

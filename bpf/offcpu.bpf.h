/* The thread filter of the off-CPU stack tools (offcputime, offwaketime, wakeuptime): BCC's -p/-t lists,
 * -u/-k and --state, the -m/-M bounds of a blocked period, and the stack map. Include after bcct.bpf.h; user
 * space fills the .rodata below (core/family/offcpu.h). */
#ifndef BCCT_OFFCPU_BPF_H
#define BCCT_OFFCPU_BPF_H
#include "offcpu.h"

#ifndef PF_KTHREAD
#define PF_KTHREAD 0x00200000         /* include/linux/sched.h */
#endif

const volatile bool user_threads_only = false;     /* -u */
const volatile bool kernel_threads_only = false;   /* -k */
const volatile __u32 target_tgids[OFFCPU_MAX_TARGETS];   /* -p: 0-terminated, empty: any */
const volatile __u32 target_tids[OFFCPU_MAX_TARGETS];    /* -t: 0-terminated, empty: any */
const volatile long state_filter = -1;             /* --state, -1: any */
const volatile __u64 min_block_us = 1;             /* -m */
const volatile __u64 max_block_us = ~0ULL;         /* -M */

/* The tools' stacks, sized from --stack-storage-size before load. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(u32));
	__uint(value_size, OFFCPU_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

static __always_inline bool offcpu_in_list(const volatile u32 *list, u32 id)
{
	if (!list[0])
		return true;
	for (int i = 0; i < OFFCPU_MAX_TARGETS && list[i]; i++)
		if (list[i] == id)
			return true;
	return false;
}

/* Whether task t, in `state`, is one the options trace. The shared filters (--cgroup, --comm)
 * apply to t too: through `current` when t is current (cheaper), else through t. */
static __always_inline bool offcpu_thread_wanted(struct task_struct *t, long state, bool is_current)
{
	bool kthread = BPF_CORE_READ(t, flags) & PF_KTHREAD;

	if ((user_threads_only && kthread) || (kernel_threads_only && !kthread))
		return false;
	if (!offcpu_in_list(target_tgids, BPF_CORE_READ(t, tgid)) ||
	    !offcpu_in_list(target_tids, BPF_CORE_READ(t, pid)))
		return false;
	/* BCC: --state 0 means exactly TASK_RUNNING (preempted); others are a bitmask. */
	if (state_filter == 0 && state != 0)
		return false;
	if (state_filter > 0 && !(state & state_filter))
		return false;
	return is_current ? bcct_filter_current() : bcct_filter_of(t);
}

/* A blocked period of delta_us is counted (negative: two CPUs' clocks disagreed). */
static __always_inline bool offcpu_block_kept(u64 delta_us)
{
	return (s64)delta_us >= 0 && delta_us >= min_block_us && delta_us <= max_block_us;
}
#endif

/* mlock (BPF Performance Tools, ch. 14): kernel mutex lock wait times, a histogram per kernel
 * stack and process. As the book from mutex_lock's entry to its return (fentry/fexit, else
 * kprobes: every call, contended or not; fentry first also because before 5.15 a stack taken
 * at a kprobe whose function also has a kretprobe ends at kretprobe_trampoline); else
 * lock:contention_begin to contention_end for mutexes (LCB_F_MUTEX): only the acquisitions
 * that had to wait, which are the ones with a wait to show. */
#include "bcct.bpf.h"
#include "stackhists.bpf.h"

#define MLOCK_LCB_F_MUTEX (1U << 5)   /* include/trace/events/lock.h */

struct mlock_start {
	u64 ts;
	int kernel_stack_id;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct mlock_start);
} start SEC(".maps");

static __always_inline int mlock_begin(void *ctx, u64 update)
{
	struct mlock_start s;
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (!bcct_filter_current())
		return 0;
	s.ts = bpf_ktime_get_ns();
	s.kernel_stack_id = bpf_get_stackid(ctx, &stacks, 0);
	bpf_map_update_elem(&start, &tid, &s, update);
	return 0;
}

static __always_inline int mlock_end(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct mlock_start *s = bpf_map_lookup_elem(&start, &tid);

	if (!s)
		return 0;
	bcct_kstack_hist_add(s->kernel_stack_id, bpf_ktime_get_ns() - s->ts);
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

SEC("fentry/mutex_lock")
int BPF_PROG(lock_begin_fentry) { return mlock_begin(ctx, BPF_ANY); }

SEC("kprobe/mutex_lock")
int BPF_KPROBE(lock_begin_kprobe) { return mlock_begin(ctx, BPF_ANY); }

SEC("raw_tp/contention_begin")
int BPF_PROG(lock_begin_raw, void *lock, unsigned int flags)
{
	/* A mutex waiter reports contention when it starts spinning and again when it sleeps:
	 * the first report starts the wait. */
	return flags & MLOCK_LCB_F_MUTEX ? mlock_begin(ctx, BPF_NOEXIST) : 0;
}

SEC("fexit/mutex_lock")
int BPF_PROG(lock_end_fexit) { return mlock_end(); }

SEC("kretprobe/mutex_lock")
int BPF_KRETPROBE(lock_end_kretprobe) { return mlock_end(); }

/* Ends only a wait that a mutex's contention_begin started (the start entry). */
SEC("raw_tp/contention_end")
int lock_end_raw(void *ctx) { return mlock_end(); }

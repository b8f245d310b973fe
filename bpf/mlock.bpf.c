/* mlock (BPF Performance Tools, ch. 14): kernel mutex lock wait times, a histogram per kernel
 * stack and process. As the book from mutex_lock's entry to its return (kprobes: every call,
 * contended or not); else lock:contention_begin to contention_end for mutexes (LCB_F_MUTEX):
 * only the acquisitions that had to wait, which are the ones with a wait to show. */
#include "bcct.bpf.h"
#include "mlock.h"

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

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 10240);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 127 * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct mlock_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

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
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct mlock_start *s = bpf_map_lookup_elem(&start, &tid);
	struct mlock_key key = { .pid = id >> 32 };
	u64 delta;

	if (!s)
		return 0;
	delta = bpf_ktime_get_ns() - s->ts;
	key.kernel_stack_id = s->kernel_stack_id;
	bpf_map_delete_elem(&start, &tid);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	bcct_hist_add_log2(&hists, &key, delta);
	return 0;
}

SEC("kprobe/mutex_lock")
int BPF_KPROBE(lock_begin_kprobe) { return mlock_begin(ctx, BPF_ANY); }

SEC("raw_tp/contention_begin")
int BPF_PROG(lock_begin_raw, void *lock, unsigned int flags)
{
	/* A mutex waiter reports contention when it starts spinning and again when it sleeps:
	 * the first report starts the wait. */
	return flags & MLOCK_LCB_F_MUTEX ? mlock_begin(ctx, BPF_NOEXIST) : 0;
}

SEC("kretprobe/mutex_lock")
int BPF_KRETPROBE(lock_end_kretprobe) { return mlock_end(); }

/* Ends only a wait that a mutex's contention_begin started (the start entry). */
SEC("raw_tp/contention_end")
int lock_end_raw(void *ctx) { return mlock_end(); }

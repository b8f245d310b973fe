/* klockstat: how long kernel mutex acquisitions wait, by the stack that asked for the lock.
 *
 * BCC times every mutex_lock (kfunc/kprobe entry to return: its "spin" time) and every hold
 * (return to mutex_unlock). Without kprobes or fentry the lock:contention_begin/end tracepoints
 * (5.19+) remain: they fire only when an acquisition has to wait, so only contended
 * acquisitions are counted, and hold times cannot be measured. Mutexes only, as BCC. */
#include "bcct.bpf.h"
#include "klockstat.h"

#define LCB_F_MUTEX (1U << 5)           /* include/trace/events/lock.h */

struct waiting {
	u64 ts;
	u64 lock;
	s64 stack_id;
};

/* thread id -> the contended mutex it waits for */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct waiting);
} waits SEC(".maps");

/* Sizes are set from --stack-storage-size before load. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(u32));
	__uint(value_size, KLOCKSTAT_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, s64);
	__type(value, struct klockstat_stat);
} stats SEC(".maps");

static __always_inline int begin(void *ctx, void *lock, unsigned int flags)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct waiting w = {};

	if (!(flags & LCB_F_MUTEX) || !bcct_filter_current())
		return 0;
	/* A mutex may spin first, then sleep: two begins for one wait, the first one counts. */
	if (bpf_map_lookup_elem(&waits, &tid))
		return 0;
	w.ts = bpf_ktime_get_ns();
	w.lock = (u64)lock;
	w.stack_id = bpf_get_stackid(ctx, &stacks, 0);
	bpf_map_update_elem(&waits, &tid, &w, BPF_NOEXIST);
	return 0;
}

static __always_inline int end(void *lock)
{
	static const struct klockstat_stat zero;
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct waiting *w = bpf_map_lookup_elem(&waits, &tid);
	struct klockstat_stat *st;
	s64 key;
	u64 delta;

	/* The end of another lock's contention (the mutex's own wait_lock) is not ours. */
	if (!w || w->lock != (u64)lock)
		return 0;
	delta = bpf_ktime_get_ns() - w->ts;
	key = w->stack_id;
	bpf_map_delete_elem(&waits, &tid);
	if ((s64)delta < 0)
		return 0;
	st = bcct_lookup_or_init(&stats, &key, &zero);
	if (!st)
		return 0;
	__sync_fetch_and_add(&st->count, 1);
	__sync_fetch_and_add(&st->total_ns, delta);
	if (delta > st->max_ns)
		st->max_ns = delta;     /* a lost race only loses a maximum, as BCC's */
	return 0;
}

SEC("raw_tp/contention_begin")
int BPF_PROG(contention_begin_raw, void *lock, unsigned int flags) { return begin(ctx, lock, flags); }
SEC("tp_btf/contention_begin")
int BPF_PROG(contention_begin_btf, void *lock, unsigned int flags) { return begin(ctx, lock, flags); }

SEC("raw_tp/contention_end")
int BPF_PROG(contention_end_raw, void *lock, int ret) { return end(lock); }
SEC("tp_btf/contention_end")
int BPF_PROG(contention_end_btf, void *lock, int ret) { return end(lock); }

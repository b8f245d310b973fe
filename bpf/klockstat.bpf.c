/* klockstat: how long kernel mutex acquisitions wait and how long mutexes are held, by the stack
 * that asked for the lock.
 *
 * BCC's way, with kprobes or fentry: every mutex_lock timed from entry to return (its "spin"
 * time), then held from that return to mutex_unlock. Without either, the lock:contention_begin
 * and contention_end tracepoints (5.19+) remain, as parts of the probe at mutex_lock's entry:
 * they fire only when an acquisition has to wait, so only contended acquisitions are counted,
 * and hold times cannot be measured. Mutexes only, as BCC. */
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

/* wait ("spin") times by stack id */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, s64);
	__type(value, struct klockstat_stat);
} stats SEC(".maps");

/* hold times by stack id (kprobes or fentry only) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, s64);
	__type(value, struct klockstat_stat);
} hold_stats SEC(".maps");

struct holding {
	u64 ts;
	s64 stack_id;
};

/* mutex address -> since when and by which stack it is held (kprobes or fentry only) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, struct holding);
} held SEC(".maps");

static __always_inline void stat_add(void *map, s64 key, u64 delta)
{
	static const struct klockstat_stat zero;
	struct klockstat_stat *st;

	if ((s64)delta < 0)
		return;
	st = bcct_lookup_or_init(map, &key, &zero);
	if (!st)
		return;
	__sync_fetch_and_add(&st->count, 1);
	__sync_fetch_and_add(&st->total_ns, delta);
	if (delta > st->max_ns)
		st->max_ns = delta;     /* a lost race only loses a maximum, as BCC's */
}

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
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct waiting *w = bpf_map_lookup_elem(&waits, &tid);
	s64 key;
	u64 delta;

	/* The end of another lock's contention (the mutex's own wait_lock) is not ours. */
	if (!w || w->lock != (u64)lock)
		return 0;
	delta = bpf_ktime_get_ns() - w->ts;
	key = w->stack_id;
	bpf_map_delete_elem(&waits, &tid);
	stat_add(&stats, key, delta);
	return 0;
}

/* BCC's path: mutex_lock's entry, its return, mutex_unlock's entry. */
static __always_inline int lock_enter(void *ctx, void *lock)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct waiting w = {};

	if (!bcct_filter_current())
		return 0;
	w.ts = bpf_ktime_get_ns();
	w.lock = (u64)lock;
	w.stack_id = bpf_get_stackid(ctx, &stacks, 0);
	bpf_map_update_elem(&waits, &tid, &w, BPF_ANY);
	return 0;
}

static __always_inline int lock_return(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct waiting *w = bpf_map_lookup_elem(&waits, &tid);
	struct holding h;
	u64 lock;

	if (!w)
		return 0;
	h.ts = bpf_ktime_get_ns();
	h.stack_id = w->stack_id;
	lock = w->lock;
	stat_add(&stats, w->stack_id, h.ts - w->ts);
	bpf_map_delete_elem(&waits, &tid);
	bpf_map_update_elem(&held, &lock, &h, BPF_ANY);
	return 0;
}

static __always_inline int unlock(void *lock)
{
	u64 addr = (u64)lock;
	struct holding *h = bpf_map_lookup_elem(&held, &addr);
	s64 key;
	u64 delta;

	if (!h)
		return 0;
	delta = bpf_ktime_get_ns() - h->ts;
	key = h->stack_id;
	bpf_map_delete_elem(&held, &addr);
	stat_add(&hold_stats, key, delta);
	return 0;
}

SEC("fentry/mutex_lock")
int BPF_PROG(lock_enter_fentry, void *lock) { return lock_enter(ctx, lock); }
SEC("kprobe/mutex_lock")
int BPF_KPROBE(lock_enter_kprobe, void *lock) { return lock_enter(ctx, lock); }

SEC("fexit/mutex_lock")
int BPF_PROG(lock_return_fexit) { return lock_return(); }
SEC("kretprobe/mutex_lock")
int BPF_KRETPROBE(lock_return_kretprobe) { return lock_return(); }

SEC("fentry/mutex_unlock")
int BPF_PROG(unlock_fentry, void *lock) { return unlock(lock); }
SEC("kprobe/mutex_unlock")
int BPF_KPROBE(unlock_kprobe, void *lock) { return unlock(lock); }

/* Parts of lock_enter, used when it has no candidate: the waits of contended acquisitions. */
SEC("raw_tp/contention_begin")
int BPF_PROG(lock_enter__contention_begin_raw, void *lock, unsigned int flags) { return begin(ctx, lock, flags); }
SEC("tp_btf/contention_begin")
int BPF_PROG(lock_enter__contention_begin_btf, void *lock, unsigned int flags) { return begin(ctx, lock, flags); }

SEC("raw_tp/contention_end")
int BPF_PROG(lock_enter__contention_end_raw, void *lock, int ret) { return end(lock); }
SEC("tp_btf/contention_end")
int BPF_PROG(lock_enter__contention_end_btf, void *lock, int ret) { return end(lock); }

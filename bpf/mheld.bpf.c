/* mheld (BPF Performance Tools, ch. 14): kernel mutex hold times, a histogram per kernel stack
 * (at mutex_unlock) and process, as the book's mheld.bt: a mutex is held from the return of a
 * successful mutex_lock, mutex_trylock or mutex_lock_interruptible to its mutex_unlock. Hold
 * times need the functions' entries and returns, which no tracepoint gives (lock:contention_*
 * fire only around waits), so there is no fallback: without kprobes the run is refused. */
#include "bcct.bpf.h"
#include "stackhists.bpf.h"

/* The mutex a thread is acquiring, between entry and return. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} acquiring SEC(".maps");

/* When each held mutex (by address) was acquired. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, u64);
} held_since SEC(".maps");

static __always_inline int lock_enter(u64 lock)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (bcct_filter_current())
		bpf_map_update_elem(&acquiring, &tid, &lock, BPF_ANY);
	return 0;
}

static __always_inline int lock_return(bool acquired)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 *lock = bpf_map_lookup_elem(&acquiring, &tid), now;

	if (!lock)
		return 0;
	if (acquired) {
		now = bpf_ktime_get_ns();
		bpf_map_update_elem(&held_since, lock, &now, BPF_ANY);
	}
	bpf_map_delete_elem(&acquiring, &tid);
	return 0;
}

SEC("kprobe/mutex_lock")
int BPF_KPROBE(lock_enter_kprobe, void *lock) { return lock_enter((u64)lock); }

SEC("kretprobe/mutex_lock")
int BPF_KRETPROBE(lock_return_kretprobe) { return lock_return(true); }

SEC("kprobe/mutex_trylock")
int BPF_KPROBE(trylock_enter_kprobe, void *lock) { return lock_enter((u64)lock); }

/* mutex_trylock returns 1 when it took the mutex (the book's script tests 0, which counts the
 * failed attempts instead). */
SEC("kretprobe/mutex_trylock")
int BPF_KRETPROBE(trylock_return_kretprobe, int ret) { return lock_return(ret == 1); }

SEC("kprobe/mutex_lock_interruptible")
int BPF_KPROBE(interruptible_enter_kprobe, void *lock) { return lock_enter((u64)lock); }

/* 0 when it took the mutex, -EINTR when a signal ended the wait. */
SEC("kretprobe/mutex_lock_interruptible")
int BPF_KRETPROBE(interruptible_return_kretprobe, int ret) { return lock_return(ret == 0); }

SEC("kprobe/mutex_unlock")
int BPF_KPROBE(unlock_kprobe, void *lock)
{
	u64 addr = (u64)lock;
	u64 *since = bpf_map_lookup_elem(&held_since, &addr);
	u64 delta;

	if (!since)
		return 0;
	delta = bpf_ktime_get_ns() - *since;
	bpf_map_delete_elem(&held_since, &addr);
	if (bcct_filter_current())
		bcct_kstack_hist_add(bpf_get_stackid(ctx, &stacks, 0), delta);
	return 0;
}

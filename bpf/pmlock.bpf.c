/* pmlock and pmheld (BPF Performance Tools, ch. 13): pthread mutex lock wait and hold times of
 * one process, a log2 histogram in nanoseconds per mutex, user stack and thread name.
 *   wait (pmlock):  pthread_mutex_lock's entry to its return, stack at the lock call;
 *   hold (pmheld):  the return of a successful pthread_mutex_lock or pthread_mutex_trylock to
 *                   the pthread_mutex_unlock of the same mutex, stack at the unlock call
 *                   (the book's pmheld.bt keys it so). */
#define PMUTEX_CALLS
#include "bcct.bpf.h"
#include "pmutex.bpf.h"
#include "pmlock.h"

const volatile bool held_mode = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct pmlock_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

struct held_key {
	u32 pid;
	u32 pad;
	u64 mutex;
};

/* Since when each mutex is held (hold mode). LRU: a mutex freed while held never unlocks. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, struct held_key);
	__type(value, u64);
} held_since SEC(".maps");

static __always_inline void add(u64 mutex, const struct pmutex_site *site, u64 delta)
{
	struct pmlock_key key;

	__builtin_memset(&key, 0, sizeof(key));
	key.mutex = mutex;
	key.site = *site;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	bcct_hist_add_log2(&hists, &key, delta);
}

SEC("uprobe.multi")
int BPF_KPROBE(lock_enter, void *mutex)
{
	if (mutex && bcct_filter_current())
		pmutex_call_begin(ctx, (u64)mutex, !held_mode);   /* hold mode: stack at unlock */
	return 0;
}

SEC("uretprobe.multi")
int BPF_KRETPROBE(lock_return)
{
	u64 now = bpf_ktime_get_ns();
	struct pmutex_call c;

	if (!pmutex_call_end(ctx, &c))
		return 0;
	if (held_mode) {
		struct held_key k = { .pid = bpf_get_current_pid_tgid() >> 32, .mutex = c.mutex };

		bpf_map_update_elem(&held_since, &k, &now, BPF_ANY);
	} else {
		add(c.mutex, &c.site, now - c.ts);
	}
	return 0;
}

SEC("uprobe.multi")
int BPF_KPROBE(unlock_enter, void *mutex)
{
	struct held_key k = { .pid = bpf_get_current_pid_tgid() >> 32, .mutex = (u64)mutex };
	u64 now = bpf_ktime_get_ns(), *since = bpf_map_lookup_elem(&held_since, &k);
	struct pmutex_site site;

	if (!since)
		return 0;
	now -= *since;
	bpf_map_delete_elem(&held_since, &k);
	pmutex_site_read(ctx, &site);
	add((u64)mutex, &site, now);
	return 0;
}

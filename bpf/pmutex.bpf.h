/* The pthread mutex probe layer of deadlock, pmlock and pmheld: the user stack of a lock call,
 * and the lock call in flight per thread (from pthread_mutex_lock's entry to its return). The
 * programs are each applet's own (SEC("uprobe.multi") / SEC("uretprobe.multi")); user space
 * attaches them to the lock and unlock functions with core/family/pmutex.h. */
#ifndef BCCT_PMUTEX_BPF_H
#define BCCT_PMUTEX_BPF_H
#include "bcct.bpf.h"
#include "ustack.bpf.h"
#include "pmutex.h"

/* Resized by user space (core/family/pmutex.h PMUTEX_STACKS_DEFAULT). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 127 * sizeof(u64));
} pmutex_stacks SEC(".maps");

/* At a uprobe on a lock or unlock function: where it was called from. */
static __always_inline void pmutex_site_read(struct pt_regs *ctx, struct pmutex_site *site)
{
	site->stack_id = bpf_get_stackid(ctx, &pmutex_stacks, BPF_F_USER_STACK);
	site->pad = 0;
	bcct_entry_caller_read(ctx, &site->caller);
}

/* The lock call in flight (pmlock, pmheld: define PMUTEX_CALLS before including this). */
#ifdef PMUTEX_CALLS
struct pmutex_call {
	u64 mutex;
	u64 ts;                 /* bpf_ktime_get_ns() at the lock call's entry */
	struct pmutex_site site;
};

/* LRU: a thread killed inside pthread_mutex_lock must not keep its entry for ever. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct pmutex_call);
} pmutex_calls SEC(".maps");

/* pthread_mutex_lock's entry: remembers the mutex, the time and (with_site) the call's stack. */
static __always_inline void pmutex_call_begin(struct pt_regs *ctx, u64 mutex, bool with_site)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct pmutex_call c = { .mutex = mutex, .site.stack_id = -1 };

	if (with_site)
		pmutex_site_read(ctx, &c.site);
	c.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&pmutex_calls, &tid, &c, BPF_ANY);
}

/* pthread_mutex_lock's return: the call its entry began, copied out and forgotten; false when
 * none (the entry came before we attached) or the lock failed (a nonzero return). */
static __always_inline bool pmutex_call_end(struct pt_regs *ctx, struct pmutex_call *out)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct pmutex_call *c = bpf_map_lookup_elem(&pmutex_calls, &tid);

	if (!c)
		return false;
	*out = *c;
	bpf_map_delete_elem(&pmutex_calls, &tid);
	return PT_REGS_RC(ctx) == 0;
}
#endif /* PMUTEX_CALLS */
#endif

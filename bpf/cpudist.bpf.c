/* cpudist: on-CPU time per scheduling slice (or off-CPU time with -O), as a log2 histogram. */
#include "bcct.bpf.h"
#include "hist_ext.bpf.h"

const volatile bool targ_offcpu = false;     /* -O */
const volatile bool targ_ms = false;         /* -m */
const volatile bool per_process = false;     /* -P */
const volatile bool per_thread = false;      /* -L */
const volatile bool include_idle = false;    /* -I */

#define TASK_DEAD 0x80

/* Idle tasks all have PID 0, one per CPU: they are told apart by CPU. */
struct start_key {
	u32 pid;
	u32 cpu;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__type(key, struct start_key);
	__type(value, u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline struct start_key key_of(u32 pid)
{
	struct start_key k = { .pid = pid, .cpu = pid ? 0 : bpf_get_smp_processor_id() };

	return k;
}

static __always_inline void store_start(struct task_struct *t, u64 ts)
{
	u32 tgid = BPF_CORE_READ(t, tgid), pid = BPF_CORE_READ(t, pid);
	struct start_key k = key_of(pid);

	if ((!pid && !include_idle) || !bcct_filter_task(tgid, pid))
		return;
	bpf_map_update_elem(&start, &k, &ts, BPF_ANY);
}

/* Ends the time of t; it is recorded when `keep` (the filters passed). */
static __always_inline void update_hist(struct task_struct *t, u64 ts, bool keep)
{
	u32 tgid = BPF_CORE_READ(t, tgid), pid = BPF_CORE_READ(t, pid), id = 0;
	struct start_key k = key_of(pid);
	u64 *tsp, delta;

	tsp = bpf_map_lookup_elem(&start, &k);
	if (!tsp)
		return;
	delta = ts - *tsp;
	bpf_map_delete_elem(&start, &k);
	if (!keep || (s64)delta < 0)   /* negative: clock skew between CPUs */
		return;
	delta /= targ_ms ? 1000000 : 1000;
	if (per_process)
		id = tgid;
	else if (per_thread)
		id = pid;
	bcct_hist_add_log2(&hists, &id, delta);
	hist_ext_add(delta);
}

/*
 * At sched_switch `current` is still prev. Filters on current (uid, comm, cgroup) are applied to
 * prev, where its time starts (-O) or ends (on-CPU); the other end only looks up what was kept.
 */
static __always_inline int on_switch(struct task_struct *prev, struct task_struct *next)
{
	u64 ts = bpf_ktime_get_ns();

	if (targ_offcpu) {
		/* An exiting task never comes back: nothing to start. */
		if (bcct_filter_current() && bcct_task_state(prev) != TASK_DEAD)
			store_start(prev, ts);
		update_hist(next, ts, true);
	} else {
		update_hist(prev, ts, bcct_filter_current());
		store_start(next, ts);
	}
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{ return on_switch(prev, next); }
SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{ return on_switch(prev, next); }

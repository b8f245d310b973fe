/* durhist.bpf.h: the time between a begin and an end event of one thread (or of one CPU's idle
 * task), as a log2 histogram per key, for the book's tools that time a kernel callback:
 *  - workq (ch. 14): work-queue functions, workqueue:workqueue_execute_start/end;
 *  - smpcalls (ch. 6): SMP cross-calls, as the book at smp_call_function_single's entry and
 *    return (kprobes: the caller's time, sending and waiting), else csd:csd_function_entry/exit
 *    (the called function's own run on the target CPU);
 *  - kvmexits (ch. 16): a guest's exits by reason, kvm:kvm_exit to the next kvm:kvm_entry of the
 *    same vCPU thread.
 * Each tool is its own object (bpf/workq.bpf.c, ...) with its begin and end programs, so that
 * `bcct features` plans each with its own tracepoints. */
#ifndef BCCT_DURHIST_BPF_H
#define BCCT_DURHIST_BPF_H
#include "bcct.bpf.h"
#include "durhist.h"

const volatile unsigned long long durhist_div = 1;   /* ns -> the histogram's unit */

struct durhist_start {
	u64 ts;
	struct durhist_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, struct durhist_start);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct durhist_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* The thread, or for the idle tasks (thread 0 on every CPU) the CPU: callbacks run in the
 * interrupted task's context, and every CPU's idle task is thread 0. */
static __always_inline u64 durhist_owner(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	return tid ? tid : (1ULL << 32) | bpf_get_smp_processor_id();
}

static __always_inline int durhist_begin(u64 what, u32 isa)
{
	struct durhist_start s = { .key = { .what = what, .isa = isa } };
	u64 owner = durhist_owner();

	if (!bcct_filter_current())
		return 0;
	s.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &owner, &s, BPF_ANY);
	return 0;
}

static __always_inline int durhist_end(void)
{
	u64 owner = durhist_owner(), now = bpf_ktime_get_ns();
	struct durhist_start *s = bpf_map_lookup_elem(&start, &owner);
	struct durhist_key key;
	u64 delta;

	if (!s)
		return 0;
	key = s->key;
	delta = now - s->ts;
	bpf_map_delete_elem(&start, &owner);
	bcct_hist_add_log2(&hists, &key, delta / durhist_div);
	return 0;
}
#endif

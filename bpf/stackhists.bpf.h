/* The maps of a tool that prints a histogram per kernel stack and process (the book's
 * @[kstack, comm] = hist(...): mlock, mheld), as core/stackhists.h prints them: "stacks" and
 * "hists" keyed by struct bcct_kstack_key. Include after bcct.bpf.h. */
#ifndef BCCT_STACKHISTS_BPF_H
#define BCCT_STACKHISTS_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 10240);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 127 * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct bcct_kstack_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* Adds value to the current process's histogram of kernel stack stack_id (from
 * bpf_get_stackid(ctx, &stacks, 0), taken now or earlier). */
static __always_inline void bcct_kstack_hist_add(int stack_id, u64 value)
{
	struct bcct_kstack_key key = {
		.kernel_stack_id = stack_id,
		.pid = bpf_get_current_pid_tgid() >> 32,
	};

	bpf_get_current_comm(key.comm, sizeof(key.comm));
	bcct_hist_add_log2(&hists, &key, value);
}
#endif

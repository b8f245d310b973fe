/* stackcount: counts of the stacks leading to an event. One program per attach kind, attached to
 * every target of the pattern (core/probespec.c); each hit takes the kernel and/or user stack id
 * and adds one to counts[{process, stack ids}]. */
#include "bcct.bpf.h"
#include <bpf/usdt.bpf.h>
#include "stackcount.h"
#include "ustack.bpf.h"

const volatile int cpu_filter = -1;       /* -c CPU */
const volatile bool kernel_stacks = true; /* not -U */
const volatile bool user_stacks = true;   /* not -K */
const volatile bool key_pid = true;       /* the process, for user symbols (merged again in user
					    * space unless key_comm) */
const volatile bool key_comm = true;      /* -P or -p: counted per process, with its name */
const volatile bool entry_uprobes = false; /* the targets are user functions: count_probe and
					    * count_multi fire at their first instruction */
/* --unwind=dwarf: hits of bcct itself are not sent (each event would wake it: t:sched:* loops) */
BCCT_USTACK_DECLARE(struct stackcount_event);

/* Sized from the options before load. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(u32));
	__uint(value_size, STACKCOUNT_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct stackcount_key);
	__type(value, u64);
} counts SEC(".maps");

/* at_entry: ctx is the user registers at a function's first instruction when entry_uprobes. */
static __always_inline int count(void *ctx, bool at_entry)
{
	struct stackcount_key key = { .tgid = STACKCOUNT_NO_PID };
	static const u64 zero;
	u64 *v;

	if (cpu_filter >= 0 && bpf_get_smp_processor_id() != (u32)cpu_filter)
		return 0;
	if (!bcct_filter_current())
		return 0;
	if (key_pid) {
		key.tgid = bpf_get_current_pid_tgid() >> 32;
		if (key_comm)
			bpf_get_current_comm(key.comm, sizeof(key.comm));
	}
	if (dwarf_stacks) {
		struct stackcount_event *e;

		if ((bpf_get_current_pid_tgid() >> 32) == self_tgid || !(e = bcct_ustack_event()))
			return 0;
		e->key = key;
		e->key.user_stack_id = -1;
		e->key.kernel_stack_id = kernel_stacks ? bpf_get_stackid(ctx, &stacks, BPF_F_REUSE_STACKID) : -1;
		bcct_ustack_send(ctx, e, user_stacks, stack_dump_size);
		return 0;
	}
	key.user_stack_id = user_stacks ?
		bpf_get_stackid(ctx, &stacks, BPF_F_REUSE_STACKID | BPF_F_USER_STACK) : -1;
	if (at_entry && entry_uprobes && user_stacks)
		bcct_entry_caller_read(ctx, &key.caller);
	key.kernel_stack_id = kernel_stacks ? bpf_get_stackid(ctx, &stacks, BPF_F_REUSE_STACKID) : -1;
	v = bcct_lookup_or_init(&counts, &key, &zero);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

/* Target-less sections: the applet attaches them at run time (core/probespec.c). count_probe
 * serves uprobes and kprobes through perf events, count_multi becomes a uprobe_multi program and
 * count_tp a tracepoint program before load. Every target counts into the same map: the stack
 * tells them apart, as in BCC. */
SEC("uprobe")
int count_probe(struct pt_regs *ctx) { return count(ctx, true); }

SEC("uprobe")
int count_multi(struct pt_regs *ctx) { return count(ctx, true); }

SEC("uprobe")
int count_tp(void *ctx) { return count(ctx, false); }

SEC("usdt")
int count_usdt(struct pt_regs *ctx) { return count(ctx, false); }

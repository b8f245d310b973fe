/* funcslower: calls slower than a threshold. The entry program keeps the start time, the target
 * (attach cookie) and the argument registers per thread; the return program emits an event with
 * the latency, the return value and (-U/-K) stack ids when the call took at least min_ns. */
#include "bcct.bpf.h"
#include "funcslower.h"
#include "ustack.bpf.h"

const volatile bool use_cookie = true;       /* kernel has bpf_get_attach_cookie (5.15+) */
const volatile unsigned long long min_ns = 1000000;
const volatile bool grab_args = false;       /* -a */
const volatile bool user_stacks = false;     /* -U */
const volatile bool kernel_stacks = false;   /* -K */
const volatile int fentry_nargs = 0;         /* fentry/fexit: the function's arguments (BTF) */
const volatile bool entry_uprobes = false;   /* the targets are user functions: entry_probe fires
					      * at their first instruction */

/* Stacks are taken at entry, as BCC does: at return the function's own frame is gone. */
struct entry {
	u64 id;
	u64 start_ns;
	u64 args[FUNCSLOWER_MAX_ARGS];
	int user_stack_id;
	int kernel_stack_id;
	struct bcct_entry_caller caller;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, struct entry);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 2048);
	__uint(key_size, sizeof(u32));
	__uint(value_size, FUNCSLOWER_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

static __always_inline u64 target_index(void *ctx)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_attach_cookie) && use_cookie)
		return bpf_get_attach_cookie(ctx);
	return 0;
}

/* e: the arguments (-a), filled by the program of each kind. */
static __always_inline int on_entry(void *ctx, struct entry *e)
{
	u64 id = bpf_get_current_pid_tgid();

	if (!bcct_filter_current())
		return 0;
	e->user_stack_id = user_stacks ? bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK) : -1;
	e->kernel_stack_id = kernel_stacks ? bpf_get_stackid(ctx, &stacks, 0) : -1;
	e->start_ns = bpf_ktime_get_ns();
	e->id = target_index(ctx);
	bpf_map_update_elem(&start, &id, e, BPF_ANY);
	return 0;
}

static __always_inline int on_return(void *ctx, u64 retval)
{
	u64 id = bpf_get_current_pid_tgid(), delta;
	struct funcslower_event *ev;
	struct entry *e;

	e = bpf_map_lookup_elem(&start, &id);
	if (!e)
		return 0;   /* entered before tracing began */
	delta = bpf_ktime_get_ns() - e->start_ns;
	if (delta < min_ns || (s64)delta < 0) {
		bpf_map_delete_elem(&start, &id);
		return 0;
	}
	ev = bcct_event_reserve(sizeof(*ev));
	if (!ev) {
		bpf_map_delete_elem(&start, &id);
		return 0;
	}
	ev->id = e->id;
	ev->tgid_pid = id;
	ev->start_ns = e->start_ns;
	ev->duration_ns = delta;
	ev->retval = retval;
	__builtin_memcpy(ev->args, e->args, sizeof(ev->args));
	bpf_map_delete_elem(&start, &id);
	ev->user_stack_id = e->user_stack_id;
	ev->kernel_stack_id = e->kernel_stack_id;
	ev->caller = e->caller;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	bcct_event_submit(ctx, ev, sizeof(*ev));
	return 0;
}

/* Target-less sections: the applet attaches them at run time (core/probespec.c), as uprobes and
 * uretprobes or kprobes and kretprobes through perf events, one link per target; the *_multi
 * pair becomes uprobe_multi programs before load where the kernel has them (user functions). */
static __always_inline int on_probe_entry(struct pt_regs *ctx)
{
	struct entry e = {};

	if (grab_args) {
		e.args[0] = PT_REGS_PARM1(ctx);
		e.args[1] = PT_REGS_PARM2(ctx);
		e.args[2] = PT_REGS_PARM3(ctx);
		e.args[3] = PT_REGS_PARM4(ctx);
		e.args[4] = PT_REGS_PARM5(ctx);
		e.args[5] = PT_REGS_PARM6(ctx);
	}
	if (entry_uprobes && user_stacks)
		bcct_entry_caller_read(ctx, &e.caller);
	return on_entry(ctx, &e);
}

SEC("uprobe")
int entry_probe(struct pt_regs *ctx) { return on_probe_entry(ctx); }

SEC("uprobe")
int return_probe(struct pt_regs *ctx) { return on_return(ctx, PT_REGS_RC(ctx)); }

SEC("uprobe")
int entry_multi(struct pt_regs *ctx) { return on_probe_entry(ctx); }

SEC("uprobe")
int return_multi(struct pt_regs *ctx) { return on_return(ctx, PT_REGS_RC(ctx)); }

/* One kernel function described by the kernel's BTF, where the kernel has fentry/fexit: the
 * applet sets the target and its argument count before load. The context is the arguments as
 * u64s, then (fexit) the return value. */
SEC("fentry")
int entry_fentry(u64 *ctx)
{
	struct entry e = {};

	/* Through the helper: kernels before 5.16 refuse a direct read of a pointer to anything
	 * but a struct (vfs_read's loff_t *). */
#pragma unroll
	for (int i = 0; i < FUNCSLOWER_MAX_ARGS; i++)
		if (grab_args && i < fentry_nargs)
			bpf_probe_read_kernel(&e.args[i], sizeof(e.args[i]), ctx + i);
	return on_entry(ctx, &e);
}

SEC("fexit")
int return_fexit(u64 *ctx)
{
	u64 rv = 0;

	/* The slot after the arguments. Read with a helper: clang turns a switch over constant
	 * slots into one load from ctx + offset, which the verifier refuses on a context. */
	bpf_probe_read_kernel(&rv, sizeof(rv), ctx + fentry_nargs);
	return on_return(ctx, rv);
}

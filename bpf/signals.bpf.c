/* signals (BPF Performance Tools, ch. 13): signals as they are generated (signal:signal_generate,
 * in the sender's context), counted by signal and receiving thread. */
#include "bcct.bpf.h"
#include "signals.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct signals_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int count(int sig, int pid, const char *comm)
{
	struct signals_key key = { .sig = sig, .pid = pid };
	static const u64 zero;
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	bpf_probe_read_kernel_str(key.comm, sizeof(key.comm), comm);
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("raw_tp/signal_generate")
int BPF_PROG(signal_generate_raw, int sig, struct kernel_siginfo *info, struct task_struct *task)
{ return count(sig, BPF_CORE_READ(task, pid), task->comm); }

SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate_btf, int sig, struct kernel_siginfo *info, struct task_struct *task)
{ return count(sig, BPF_CORE_READ(task, pid), task->comm); }

SEC("tracepoint/signal/signal_generate")
int signal_generate_tp(struct trace_event_raw_signal_generate *ctx)
{
	return count(ctx->sig, ctx->pid, ctx->comm);
}

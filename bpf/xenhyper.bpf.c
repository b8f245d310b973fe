/* xenhyper (BPF Performance Tools, ch. 16): a Xen PV guest's hypercalls, counted by number at
 * xen:xen_mc_entry (a hypercall queued into a multicall batch), as the book. Off Xen the
 * tracepoint is absent and the tool refuses to start. */
#include "bcct.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

/* The record's layout (op, nargs, args[6]) has not changed since the tracepoint appeared (3.x);
 * its type is in vmlinux's BTF only on kernels built with Xen support. */
struct xenhyper_mc_entry {
	u64 common;
	unsigned int op;
};

SEC("tracepoint/xen/xen_mc_entry")
int mc_entry_tp(struct xenhyper_mc_entry *ctx)
{
	static const u64 zero;
	u32 op = ctx->op;
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	n = bcct_lookup_or_init(&counts, &op, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

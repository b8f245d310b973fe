/* funccount: calls per attach point. One program per attach kind, attached to every target with
 * a BPF cookie holding the target's index; the program adds one to counts[cookie]. */
#include "bcct.bpf.h"
#include <bpf/usdt.bpf.h>
#include "funccount.h"

const volatile int cpu_filter = -1;      /* -c CPU */
const volatile bool use_cookie = true;   /* kernel has bpf_get_attach_cookie (5.15+) */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FUNCCOUNT_MAX_TARGETS);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int count(u64 idx)
{
	u32 key = idx;
	u64 *v;

	if (cpu_filter >= 0 && bpf_get_smp_processor_id() != (u32)cpu_filter)
		return 0;
	if (!bcct_filter_current())
		return 0;
	v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		*v += 1;   /* per-CPU slot: no atomic needed */
	return 0;
}

/* The target index; 0 without cookies, where user space allows a single target only. The CO-RE
 * check drops the helper call at load time on kernels that do not know it. */
static __always_inline u64 target_index(void *ctx)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_attach_cookie) && use_cookie)
		return bpf_get_attach_cookie(ctx);
	return 0;
}

/* Sections without targets: core leaves them alone and the applet attaches them at run time
 * (core/probespec.c). count_probe serves uprobes and kprobes (both kprobe-type programs attached
 * through perf events), count_multi becomes a uprobe_multi program and count_tp a tracepoint
 * program before load. */
SEC("uprobe")
int count_probe(struct pt_regs *ctx) { return count(target_index(ctx)); }

SEC("uprobe")
int count_multi(struct pt_regs *ctx) { return count(target_index(ctx)); }

SEC("uprobe")
int count_tp(void *ctx) { return count(target_index(ctx)); }

SEC("usdt")
int count_usdt(struct pt_regs *ctx) { return count(bpf_usdt_cookie(ctx)); }

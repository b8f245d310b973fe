/* funccount: calls per attach point. One program per attach kind, attached to every target with
 * a BPF cookie holding the target's index; the program adds one to counts[cookie]. Kernels
 * without cookies (before 5.15) count kprobe hits per instruction pointer in ip_counts
 * instead, as BCC's funccount and vfscount do: user space names each address's function. */
#include "bcct.bpf.h"
#include <bpf/usdt.bpf.h>
#include "funccount.h"

const volatile int cpu_filter = -1;      /* -c CPU */
const volatile bool use_cookie = true;   /* kernel has bpf_get_attach_cookie (5.15+) */
const volatile bool key_by_ip = false;   /* no cookies, several kernel functions: count by IP */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FUNCCOUNT_MAX_TARGETS);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

/* Sized by user space: one entry per kernel target when key_by_ip, else 1 (unused). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, FUNCCOUNT_MAX_TARGETS);
	__type(key, u64);
	__type(value, u64);
} ip_counts SEC(".maps");

static __always_inline bool wanted(void)
{
	if (cpu_filter >= 0 && bpf_get_smp_processor_id() != (u32)cpu_filter)
		return false;
	return bcct_filter_current();
}

static __always_inline int count(u64 idx)
{
	u32 key = idx;
	u64 *v;

	if (!wanted())
		return 0;
	v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		*v += 1;   /* per-CPU slot: no atomic needed */
	return 0;
}

/* A kprobe's instruction pointer is inside the probed function (its address plus the
 * breakpoint, or plus the ftrace call site): the same value at every hit of one target. */
static __always_inline int count_ip(u64 ip)
{
	if (wanted())
		bcct_count_inc(&ip_counts, &ip);
	return 0;
}

/* The target index; 0 without cookies, where user space allows a single target only (kernel
 * functions, which count_ip tells apart, aside). The CO-RE
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
int count_probe(struct pt_regs *ctx)
{
	if (key_by_ip)
		return count_ip(PT_REGS_IP(ctx));
	return count(target_index(ctx));
}

SEC("uprobe")
int count_multi(struct pt_regs *ctx) { return count(target_index(ctx)); }

SEC("uprobe")
int count_tp(void *ctx) { return count(target_index(ctx)); }

SEC("usdt")
int count_usdt(struct pt_regs *ctx) { return count(bpf_usdt_cookie(ctx)); }

/* ustat: per process, counts of a runtime's events by ustat's column (the attachment's cookie),
 * in the kernel, as BCC's ustat; for a python without USDT, method calls from a uprobe on its eval
 * function. */
#include "bcct.bpf.h"
#include <bpf/usdt.bpf.h>
#include "rt.h"
#include "ustat.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct ustat_key);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int count(__u64 col)
{
	struct ustat_key k = { bpf_get_current_pid_tgid() >> 32, col };
	__u64 zero = 0, *v;

	if (!bcct_filter_current())
		return 0;
	v = bcct_lookup_or_init(&counts, &k, &zero);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

SEC("usdt")
int event_usdt(struct pt_regs *ctx)
{
	return count(bpf_usdt_cookie(ctx));
}

/* A python without USDT: the invocations of its eval function, the calls entered from C
 * (core/family/rt.h), as METHOD. */
SEC("uprobe.multi")
int method_eval_uprobe(struct pt_regs *ctx)
{
	return count(RT_STAT_METHOD);
}

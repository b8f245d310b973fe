/* uobjnew: allocations of a language runtime by type (USDT allocation probes) or C's malloc by
 * size (uprobe), counted in the kernel, as BCC's uobjnew. */
#include "bcct.bpf.h"
#include <bpf/bpf_tracing.h>
#include "rt.bpf.h"
#include "uobjnew.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct uobjnew_key);
	__type(value, struct uobjnew_val);
} allocs SEC(".maps");

static __always_inline void count(struct uobjnew_key *k, __u64 size)
{
	struct uobjnew_val zero = {}, *v = bcct_lookup_or_init(&allocs, k, &zero);

	if (!v)
		return;
	__sync_fetch_and_add(&v->num_allocs, 1);
	__sync_fetch_and_add(&v->total_size, size);
	if (!size)
		__sync_fetch_and_add(&v->zero_size_allocs, 1);
}

SEC("usdt")
int alloc_usdt(struct pt_regs *ctx)
{
	__u64 cookie = bpf_usdt_cookie(ctx);
	struct uobjnew_key k = { .index = RT_COOKIE_GET(cookie, UOBJNEW_CK_INDEX) };
	char name[RT_STR_LEN] = {};

	if (!bcct_filter_current())
		return 0;
	rt_str(ctx, cookie, RT_CK_CLASS, name);
	__builtin_memcpy(k.name, name, UOBJNEW_NAME_LEN - 1);
	count(&k, rt_arg(ctx, RT_COOKIE_GET(cookie, UOBJNEW_CK_SIZE)));
	return 0;
}

SEC("uprobe.multi")
int malloc_uprobe(struct pt_regs *ctx)
{
	struct uobjnew_key k = { .size = PT_REGS_PARM1(ctx) };

	if (!bcct_filter_current())
		return 0;
	count(&k, k.size);
	return 0;
}

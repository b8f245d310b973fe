/* icstat (BPF Performance Tools, ch. 8): inode cache lookups and misses, at the return of
 * find_inode_fast (NULL: not cached). fexit (its return value through bpf_get_func_ret, since
 * the function's argument count changed in 6.9), else a kretprobe, as the book; no tracepoint
 * sees these lookups, so there is no fallback. */
#include "bcct.bpf.h"

#define ICSTAT_REFS 0
#define ICSTAT_MISSES 1

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

static __always_inline int on_return(const void *inode)
{
	u32 k = ICSTAT_REFS;
	u64 *v;

	if (!bcct_filter_current())
		return 0;
	if ((v = bpf_map_lookup_elem(&stats, &k)))
		(*v)++;
	k = ICSTAT_MISSES;
	if (!inode && (v = bpf_map_lookup_elem(&stats, &k)))
		(*v)++;
	return 0;
}

SEC("fexit/find_inode_fast")
int BPF_PROG(find_inode_fast_fexit)
{
	u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return on_return((const void *)ret);
}

SEC("kretprobe/find_inode_fast")
int BPF_KRETPROBE(find_inode_fast_kretprobe, void *ret) { return on_return(ret); }

/* skblife: how long sk_buffs live, from their allocation from the skbuff_head_cache or
 * skbuff_fclone_cache slab caches to their free, as the book's skblife.bt. The book's kprobes on
 * kmem_cache_alloc(_node) and kmem_cache_free find those caches through their kernel variables;
 * the kmem:kmem_cache_alloc and kmem:kmem_cache_free tracepoints, fired in the same functions
 * (both node and non-node allocations), carry the cache's name, so they are used instead, on
 * every kernel whose tracepoints have it (Linux 6.0+). */
#include "bcct.bpf.h"

/* the allocation time of each live sk_buff */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, u64);
	__type(value, u64);
} birth SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* "skbuff_head_cache" or "skbuff_fclone_cache" (the prefix "skbuff_" then "head_cache" or
 * "fclone_cache", NUL included) */
static __always_inline bool skb_cache(const char *n)
{
	static const char head[] = "skbuff_head_cache", fclone[] = "skbuff_fclone_cache";
	bool is_head = true, is_fclone = true;

	for (int i = 0; i < sizeof(head); i++)
		is_head = is_head && n[i] == head[i];
	for (int i = 0; i < sizeof(fclone); i++)
		is_fclone = is_fclone && n[i] == fclone[i];
	return is_head || is_fclone;
}

/* The cache's name joined the event in 6.x kernels after 6.12: declared here, so that the object
 * builds against a vmlinux.h of an older kernel (arm64's is 6.12's); CO-RE finds the field in
 * the running kernel's event. */
struct trace_event_raw_kmem_cache_alloc___named {
	u32 __data_loc_name;
} __attribute__((preserve_access_index));

SEC("tracepoint/kmem/kmem_cache_alloc")
int skb_alloc_tp(struct trace_event_raw_kmem_cache_alloc *ctx)
{
	u32 loc = BPF_CORE_READ((struct trace_event_raw_kmem_cache_alloc___named *)ctx, __data_loc_name);
	u64 ptr = (u64)BPF_CORE_READ(ctx, ptr), now;
	char name[24] = {};

	if (bpf_probe_read_kernel_str(name, sizeof(name), (void *)ctx + (loc & 0xffff)) < 0 ||
	    !skb_cache(name))
		return 0;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&birth, &ptr, &now, BPF_ANY);
	return 0;
}

SEC("tracepoint/kmem/kmem_cache_free")
int skb_free_tp(struct trace_event_raw_kmem_cache_free *ctx)
{
	u64 ptr = (u64)BPF_CORE_READ(ctx, ptr), *born;
	u32 zero = 0;

	born = bpf_map_lookup_elem(&birth, &ptr);
	if (!born)
		return 0;
	bcct_hist_add_log2(&hists, &zero, bpf_ktime_get_ns() - *born);
	bpf_map_delete_elem(&birth, &ptr);
	return 0;
}

/* skblife: how long sk_buffs live, from their allocation from the skbuff_head_cache or
 * skbuff_fclone_cache slab caches to their free, as the book's skblife.bt. The book's kprobes on
 * kmem_cache_alloc(_node) and kmem_cache_free find those caches through their kernel variables;
 * the kmem:kmem_cache_alloc and kmem:kmem_cache_free tracepoints, fired in the same functions
 * (both node and non-node allocations; before 6.1 node ones fire kmem:kmem_cache_alloc_node,
 * probed too), are used instead (as raw tracepoints where the kernel's
 * allocation record carries the cache's name). Where kmem_cache_alloc carries the cache's name
 * (kernels after 6.1) it picks the buffers; elsewhere (6.1, 5.10) the object size does, an
 * sk_buff's or an sk_buff_fclones', and kmem_cache_free's name (5.12+) confirms it. */
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
static const char skb_head_cache[] = "skbuff_head_cache", skb_fclone_cache[] = "skbuff_fclone_cache";

static __always_inline bool skb_cache(const char *n)
{
	const char *head = skb_head_cache, *fclone = skb_fclone_cache;
	bool is_head = true, is_fclone = true;

	for (int i = 0; i < sizeof(skb_head_cache); i++)
		is_head = is_head && n[i] == head[i];
	for (int i = 0; i < sizeof(skb_fclone_cache); i++)
		is_fclone = is_fclone && n[i] == fclone[i];
	return is_head || is_fclone;
}

static __always_inline int skb_born(u64 ptr)
{
	u64 now = bpf_ktime_get_ns();

	bpf_map_update_elem(&birth, &ptr, &now, BPF_ANY);
	return 0;
}

static __always_inline int skb_died(u64 ptr)
{
	u64 *born = bpf_map_lookup_elem(&birth, &ptr);
	u32 zero = 0;

	if (!born)
		return 0;
	bcct_hist_add_log2(&hists, &zero, bpf_ktime_get_ns() - *born);
	bpf_map_delete_elem(&birth, &ptr);
	return 0;
}

/* The raw tracepoints come first (core's order): their links are released at exit in about a
 * millisecond, a tracepoint perf event in 35-60 ms (bench/ctrlc). Their arguments are
 * (call_site, ptr, struct kmem_cache *, ...) from 6.1, the kernels with a kmem_cache_alloc record
 * of its own: the relocation of that record's field below fails the load before 6.1, where the
 * third argument was a size (a shared kmem_alloc record), and core falls back to the
 * tracepoints. (An existence check would load and count nothing.) */
SEC("raw_tp/kmem_cache_alloc")
int skb_alloc_raw(u64 *ctx)
{
	const struct kmem_cache *cache = (void *)ctx[2];
	char name[24] = {};

	if (bpf_core_field_offset(struct trace_event_raw_kmem_cache_alloc, ptr) > 0xffff)
		return 0;
	if (bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(cache, name)) < 0 ||
	    !skb_cache(name))
		return 0;
	return skb_born(ctx[1]);
}

SEC("raw_tp/kmem_cache_free")
int skb_free_raw(u64 *ctx) { return skb_died(ctx[1]); }

/* The cache named at ctx's __data_loc field loc is one of the sk_buff caches. */
static __always_inline bool skb_cache_at(void *ctx, u32 loc)
{
	char name[24] = {};

	return bpf_probe_read_kernel_str(name, sizeof(name), ctx + (loc & 0xffff)) > 0 &&
	       skb_cache(name);
}

/* Before 6.1 kmem_cache_alloc and kmalloc shared the kmem_alloc record (no cache, the object's
 * size as bytes_req): 5.10 has no trace_event_raw_kmem_cache_alloc to relocate against. */
struct trace_event_raw_kmem_alloc___shared {
	const void *ptr;
	size_t bytes_req;
} __attribute__((preserve_access_index));

static __always_inline bool skb_size(u64 size)
{
	return size == bpf_core_type_size(struct sk_buff) ||
	       size == bpf_core_type_size(struct sk_buff_fclones);
}

SEC("tracepoint/kmem/kmem_cache_alloc")
int skb_alloc_tp(struct trace_event_raw_kmem_cache_alloc *ctx)
{
	struct trace_event_raw_kmem_cache_alloc___named *named = (void *)ctx;

	if (!bpf_core_type_exists(struct trace_event_raw_kmem_cache_alloc)) {
		struct trace_event_raw_kmem_alloc___shared *shared = (void *)ctx;

		if (!skb_size(BPF_CORE_READ(shared, bytes_req)))
			return 0;
		return skb_born((u64)BPF_CORE_READ(shared, ptr));
	}
	if (bpf_core_field_exists(named->__data_loc_name)) {
		if (!skb_cache_at(ctx, BPF_CORE_READ(named, __data_loc_name)))
			return 0;
	} else {
		/* bytes_req is the cache's object size */
		if (!skb_size(BPF_CORE_READ(ctx, bytes_req)))
			return 0;
	}
	return skb_born((u64)BPF_CORE_READ(ctx, ptr));
}

/* Before 6.1 node allocations had a tracepoint of their own, and __alloc_skb makes those: on
 * 5.10 every sk_buff is born here. Optional: 6.1 folded it into kmem_cache_alloc. */
struct trace_event_raw_kmem_alloc_node___shared {
	const void *ptr;
	size_t bytes_req;
} __attribute__((preserve_access_index));

struct trace_event_raw_kmem_free___shared {
	const void *ptr;
} __attribute__((preserve_access_index));

SEC("tracepoint/kmem/kmem_cache_alloc_node")
int skb_alloc_node_tp(struct trace_event_raw_kmem_alloc_node___shared *ctx)
{
	if (!skb_size(BPF_CORE_READ(ctx, bytes_req)))
		return 0;
	return skb_born((u64)BPF_CORE_READ(ctx, ptr));
}

SEC("tracepoint/kmem/kmem_cache_free")
int skb_free_tp(struct trace_event_raw_kmem_cache_free *ctx)
{
	u64 ptr;

	/* before 5.12 kmem_cache_free shared kfree's kmem_free record (no cache name) */
	if (!bpf_core_type_exists(struct trace_event_raw_kmem_cache_free))
		return skb_died((u64)BPF_CORE_READ((struct trace_event_raw_kmem_free___shared *)ctx, ptr));
	ptr = (u64)BPF_CORE_READ(ctx, ptr);

	/* a buffer picked by its size alone (6.1) is one when the freeing cache is an sk_buff one */
	if (bpf_core_field_exists(ctx->__data_loc_name) &&
	    !skb_cache_at(ctx, BPF_CORE_READ(ctx, __data_loc_name))) {
		bpf_map_delete_elem(&birth, &ptr);
		return 0;
	}
	return skb_died(ptr);
}

/* kmem (BPF Performance Tools, ch. 14): kernel memory allocations (kmalloc and kmem_cache_alloc)
 * by process: count and bytes allocated, from the kmem tracepoints as the book. */
#include "bcct.bpf.h"
#include "kmem.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct kmem_key);
	__type(value, struct kmem_value);
} counts SEC(".maps");

/* Before 6.1 kmem_cache_alloc shared kmalloc's record (class kmem_alloc); from 6.1 it has its
 * own, with the cache's name before the sizes. */
struct trace_event_raw_kmem_alloc___old {
	unsigned long bytes_alloc;
} __attribute__((preserve_access_index));

static __always_inline int kmem_count(u64 bytes)
{
	static const struct kmem_value zero;
	struct kmem_key key = {};
	struct kmem_value *v;

	if (!bcct_filter_current())
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	v = bcct_lookup_or_init(&counts, &key, &zero);
	if (v) {
		__sync_fetch_and_add(&v->bytes, bytes);
		__sync_fetch_and_add(&v->count, 1);
	}
	return 0;
}

/* The raw tracepoints come first (core's order): a raw_tp link is released at exit in about a
 * millisecond, a tracepoint perf event in 35-60 ms (bench/ctrlc). kmalloc's raw arguments are
 * (call_site, ptr, bytes_req, bytes_alloc, gfp_flags[, node]) on every kernel; kmem_cache_alloc's
 * are the same before 6.1 and (call_site, ptr, struct kmem_cache *, gfp_flags, node) from 6.1,
 * whose record takes bytes_alloc from the cache's size. */
SEC("raw_tp/kmalloc")
int kmalloc_raw(u64 *ctx) { return kmem_count(ctx[3]); }

SEC("raw_tp/kmem_cache_alloc")
int cache_alloc_raw(u64 *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmem_cache_alloc))
		return kmem_count(BPF_CORE_READ((struct kmem_cache *)ctx[2], size));
	return kmem_count(ctx[3]);
}

/* kmalloc too had the shared kmem_alloc record before 6.1 (5.10 has no trace_event_raw_kmalloc). */
SEC("tracepoint/kmem/kmalloc")
int kmalloc_tp(void *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmalloc))
		return kmem_count(((struct trace_event_raw_kmalloc *)ctx)->bytes_alloc);
	return kmem_count(((struct trace_event_raw_kmem_alloc___old *)ctx)->bytes_alloc);
}

SEC("tracepoint/kmem/kmem_cache_alloc")
int cache_alloc_tp(void *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmem_cache_alloc))
		return kmem_count(((struct trace_event_raw_kmem_cache_alloc *)ctx)->bytes_alloc);
	return kmem_count(((struct trace_event_raw_kmem_alloc___old *)ctx)->bytes_alloc);
}

/* Before 6.1 the NUMA-node variants were tracepoints of their own, with kmalloc's raw arguments
 * and a node. */
SEC("raw_tp/kmalloc_node")
int kmalloc_node_raw(u64 *ctx) { return kmem_count(ctx[3]); }

SEC("raw_tp/kmem_cache_alloc_node")
int cache_alloc_node_raw(u64 *ctx) { return kmem_count(ctx[3]); }

SEC("tracepoint/kmem/kmalloc_node")
int kmalloc_node_tp(struct trace_event_raw_kmem_alloc___old *ctx)
{
	return kmem_count(ctx->bytes_alloc);
}

SEC("tracepoint/kmem/kmem_cache_alloc_node")
int cache_alloc_node_tp(struct trace_event_raw_kmem_alloc___old *ctx)
{
	return kmem_count(ctx->bytes_alloc);
}

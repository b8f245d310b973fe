/* slabratetop: kernel slab cache allocations per cache, count and bytes (the cache's object
 * size each), summed per interval. BCC's kprobe on kmem_cache_alloc (kmem_cache_alloc_noprof
 * from 6.10, when memory allocation profiling renamed it); else the kmem:kmem_cache_alloc
 * tracepoint, which names the cache from 6.1 and fires for every cache allocation (the _node
 * and _lru variants too, which BCC's kprobe does not see). */
#include "bcct.bpf.h"
#include "slabratetop.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SLABRATETOP_MAX_ENTRIES);
	__type(key, struct slabratetop_key);
	__type(value, struct slabratetop_val);
} counts SEC(".maps");

static const struct slabratetop_val zero_val;

static __always_inline int count_alloc(const struct slabratetop_key *k, u64 bytes)
{
	struct slabratetop_val *v = bcct_lookup_or_init(&counts, k, &zero_val);

	if (v) {
		__sync_fetch_and_add(&v->count, 1);
		__sync_fetch_and_add(&v->size, bytes);
	}
	return 0;
}

static __always_inline int cache_alloc(struct kmem_cache *s)
{
	struct slabratetop_key k = {};

	if (!bcct_filter_current())
		return 0;
	bpf_probe_read_kernel_str(k.name, sizeof(k.name), BPF_CORE_READ(s, name));
	return count_alloc(&k, BPF_CORE_READ(s, size));
}

SEC("kprobe/kmem_cache_alloc")
int BPF_KPROBE(cache_alloc_kprobe, struct kmem_cache *s) { return cache_alloc(s); }

SEC("kprobe/kmem_cache_alloc_noprof")
int BPF_KPROBE(cache_alloc_kprobe2, struct kmem_cache *s) { return cache_alloc(s); }

/* The record names the cache only from 6.1: before, the relocation of __data_loc_name fails
 * and so does this program's load, which leaves no candidate (a one-line refusal), not rows
 * without names. */
SEC("tracepoint/kmem/kmem_cache_alloc")
int cache_alloc_tp(struct trace_event_raw_kmem_cache_alloc *ctx)
{
	struct slabratetop_key k = {};
	u32 loc = BPF_CORE_READ((struct trace_event_raw_kmem_cache_alloc___named *)ctx, __data_loc_name);

	if (!bcct_filter_current())
		return 0;
	bpf_probe_read_kernel_str(k.name, sizeof(k.name), (void *)ctx + (loc & 0xffff));
	return count_alloc(&k, ctx->bytes_alloc);
}

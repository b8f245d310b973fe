/* cachestat and cachetop: page cache accesses, additions and dirtyings. Exact, as BCC: calls of
 * the kernel functions of cachestat.h (fentry, else kprobes; the folio names first, the page
 * names of older kernels second); dirtied folios at writeback:writeback_dirty_folio, as BCC
 * now counts them. Fallback, tracepoints: pages spanned by each buffered read
 * (filemap:mm_filemap_get_pages; mmap'd accesses are not seen), pages added
 * (filemap:mm_filemap_add_to_page_cache) and buffers dirtied (block:block_dirty_buffer).
 * Counted system-wide (cachestat) or per process (cachetop). */
#include "bcct.bpf.h"
#include "cachestat.h"

const volatile bool per_process = false;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CACHE_COUNTERS);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CACHETOP_MAX_ENTRIES);
	__type(key, struct cachetop_key);
	__type(value, struct cachetop_val);
} procs SEC(".maps");

static const struct cachetop_val zero_val;

static __always_inline int count(u32 counter, u64 n)
{
	struct cachetop_key key = {};
	struct cachetop_val *v;
	u64 *total;

	if (!bcct_filter_current())
		return 0;
	if (!per_process) {
		total = bpf_map_lookup_elem(&stats, &counter);
		if (total)
			*total += n;
		return 0;
	}
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.uid = (u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	v = bcct_lookup_or_init(&procs, &key, &zero_val);
	if (v && counter < CACHE_COUNTERS)
		__sync_fetch_and_add(&v->n[counter], n);
	return 0;
}

/* One call of a kernel function: fentry and kprobe, under the current and the older name. */
#define FUNC_PROBE(probe, variant, func, counter)						\
	SEC("fentry/" #func) int BPF_PROG(probe##_fentry##variant) { return count(counter, 1); }	\
	SEC("kprobe/" #func) int BPF_KPROBE(probe##_kprobe##variant) { return count(counter, 1); }

FUNC_PROBE(accessed, , folio_mark_accessed, CACHE_ACCESSED)
FUNC_PROBE(accessed, 2, mark_page_accessed, CACHE_ACCESSED)
FUNC_PROBE(buffer_dirty, , mark_buffer_dirty, CACHE_BUFFER_DIRTY)
FUNC_PROBE(added, , filemap_add_folio, CACHE_ADDED)
FUNC_PROBE(added, 2, add_to_page_cache_lru, CACHE_ADDED)

/* mm_filemap_get_pages(mapping, index, last_index): the pages one step of a buffered read
 * wants (last_index inclusive). */
SEC("raw_tp/mm_filemap_get_pages")
int BPF_PROG(accessed_raw, void *mapping, unsigned long index, unsigned long last_index)
{
	return count(CACHE_ACCESSED, last_index >= index ? last_index - index + 1 : 1);
}

/* A folio of 2^order pages (order since 5.18-ish; one page before). */
SEC("tracepoint/filemap/mm_filemap_add_to_page_cache")
int added_tp(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	unsigned int order = 0;

	if (bpf_core_field_exists(ctx->order))
		order = BPF_CORE_READ(ctx, order) & 31;
	return count(CACHE_ADDED, 1ULL << order);
}

/* Dirtied folios: the tracepoint BCC itself uses now (folio_account_dirtied is static and
 * often inlined, so a kprobe on it counts nothing or cannot attach). */
SEC("raw_tp/writeback_dirty_folio")
int BPF_PROG(dirtied_raw)
{
	return count(CACHE_DIRTIED, 1);
}

SEC("raw_tp/block_dirty_buffer")
int BPF_PROG(buffer_dirty_raw)
{
	return count(CACHE_BUFFER_DIRTY, 1);
}

/* Before writeback_dirty_folio (5.17?), the same event per page. */
SEC("raw_tp/writeback_dirty_page")
int BPF_PROG(dirtied_raw2)
{
	return count(CACHE_DIRTIED, 1);
}

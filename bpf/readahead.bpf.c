/* readahead: pages the kernel read ahead, how many were used and how old they were when first
 * used (BCC's readahead, the book's ch. 8), with pages keyed by file mapping and index.
 *
 * A page is read ahead when it enters the page cache (filemap:mm_filemap_add_to_page_cache,
 * raw hook) while its task is in a readahead: from readahead:page_cache_sync_ra or
 * page_cache_async_ra until the read or fault that asked for it (filemap:mm_filemap_get_pages,
 * mm_filemap_fault) — the readahead window BCC takes between do_page_cache_ra's entry and
 * return. A page is used when first accessed: when a read copies it (mm_filemap_get_pages'
 * range, its first READAHEAD_RANGE_MAX pages) or a fault maps it (mm_filemap_fault,
 * mm_filemap_map_pages), and, where kprobes work, at folio_mark_accessed (libbpf-tools' probe,
 * BCC's mark_page_accessed), which also sees the accesses of splice and longer reads. */
#include "bcct.bpf.h"
#include "fs.bpf.h"

#define READAHEAD_RANGE_MAX 64

struct page_key {
	u64 mapping;
	u64 index;
};
struct birth {
	u64 ts;
	u64 pages;
};

struct {
	/* LRU: pages never used must not fill it; an evicted one stays counted as unused. */
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct page_key);
	__type(value, struct birth);
} births SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u8);
} in_readahead SEC(".maps");

/* [0]: pages read ahead and not (yet) used, a signed running count. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, s64);
} unused SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline void unused_add(s64 n)
{
	u32 zero = 0;
	s64 *v = bpf_map_lookup_elem(&unused, &zero);

	if (v)
		__sync_fetch_and_add(v, n);
}

static __always_inline int ra_begin(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u8 one = 1;

	if (bcct_filter_current())
		bpf_map_update_elem(&in_readahead, &tid, &one, BPF_ANY);
	return 0;
}

static __always_inline int ra_end(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&in_readahead, &tid);
	return 0;
}

/* A page of mapping at index accessed: its first access after a readahead is a use. */
static __always_inline bool used(u64 mapping, u64 index)
{
	struct page_key k = { .mapping = mapping, .index = index };
	struct birth *b = bpf_map_lookup_elem(&births, &k);
	struct bcct_hist *h;
	u32 zero = 0, slot;
	u64 now;

	if (!b)
		return false;
	now = bpf_ktime_get_ns();
	h = bpf_map_lookup_elem(&hists, &zero);
	slot = bcct_log2_slot(now > b->ts ? (now - b->ts) / 1000000 : 0);
	barrier_var(slot);
	if (h && slot < BCCT_MAX_SLOTS)
		__sync_fetch_and_add(&h->slots[slot], b->pages);     /* pages, as BCC counts */
	unused_add(-(s64)b->pages);
	bpf_map_delete_elem(&births, &k);
	return true;
}

struct page_range { u64 mapping, first, last; };

static long range_step(u64 i, void *data)
{
	struct page_range *r = data;

	if (r->first + i > r->last)
		return 1;
	used(r->mapping, r->first + i);
	return 0;
}

/* bpf_loop (5.17; the readahead tracepoints are younger): an unrolled loop of lookups took the
 * verifier 0.6 s per program. */
static __always_inline int range_used(u64 mapping, u64 first, u64 last)
{
	struct page_range r = { mapping, first, last };

	bpf_loop(READAHEAD_RANGE_MAX, range_step, &r, 0);
	return 0;
}

SEC("raw_tp/page_cache_sync_ra")
int BPF_PROG(ra_sync_raw) { return ra_begin(); }
SEC("raw_tp/page_cache_async_ra")
int BPF_PROG(ra_async_raw) { return ra_begin(); }

SEC("raw_tp/mm_filemap_add_to_page_cache")
int BPF_PROG(page_add_raw, struct folio *folio)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct page_key k = {};
	struct birth b;

	if (!bpf_map_lookup_elem(&in_readahead, &tid))
		return 0;
	k.mapping = (u64)BPF_CORE_READ(folio, mapping);
	k.index = BPF_CORE_READ(folio, index);
	b.ts = bpf_ktime_get_ns();
	b.pages = fs_folio_pages(folio);
	if (!bpf_map_update_elem(&births, &k, &b, BPF_NOEXIST))
		unused_add(b.pages);
	return 0;
}

/* The read or fault that started the readahead is served: the window closes, and the pages it
 * asked for are used. */
SEC("raw_tp/mm_filemap_get_pages")
int BPF_PROG(read_done_raw, struct address_space *mapping, u64 index, u64 last_index)
{
	ra_end();
	return range_used((u64)mapping, index, last_index);
}

SEC("raw_tp/mm_filemap_fault")
int BPF_PROG(fault_done_raw, struct address_space *mapping, u64 index)
{
	ra_end();
	used((u64)mapping, index);
	return 0;
}

SEC("raw_tp/mm_filemap_map_pages")
int BPF_PROG(map_pages_raw, struct address_space *mapping, u64 start, u64 end)
{
	return range_used((u64)mapping, start, end);
}

SEC("kprobe/folio_mark_accessed")
int BPF_KPROBE(page_access_kprobe, struct folio *folio)
{
	used((u64)BPF_CORE_READ(folio, mapping), BPF_CORE_READ(folio, index));
	return 0;
}

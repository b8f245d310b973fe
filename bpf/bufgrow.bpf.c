/* bufgrow (BPF Performance Tools, ch. 8): buffer cache growth by process, the KB of pages added
 * to the page cache of block devices (their inode is a block device: I/O to /dev/sdX, and file
 * systems' metadata). The book probes add_to_page_cache_lru, whose work is filemap_add_folio's
 * since 5.16 (a kprobe there: add_to_page_cache_lru still exists as a wrapper, but not every
 * caller goes through it); without it, the mm_filemap_add_to_page_cache tracepoint's raw hook
 * sees the same folio once it is added, in the same call. */
#include "bcct.bpf.h"
#include "fs.bpf.h"

#define BUFGROW_S_IFMT 0170000
#define BUFGROW_S_IFBLK 0060000

const volatile unsigned int bufgrow_page_kb = 4;

struct bufgrow_key { char comm[16]; };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct bufgrow_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int on_add(struct address_space *mapping, u64 pages)
{
	struct bufgrow_key k = {};
	u64 kb = pages * bufgrow_page_kb, *v;

	if (!mapping || !bcct_filter_current())
		return 0;
	if ((BPF_CORE_READ(mapping, host, i_mode) & BUFGROW_S_IFMT) != BUFGROW_S_IFBLK)
		return 0;
	bpf_get_current_comm(k.comm, sizeof(k.comm));
	v = bpf_map_lookup_elem(&counts, &k);
	if (v)
		__sync_fetch_and_add(v, kb);
	else
		bpf_map_update_elem(&counts, &k, &kb, BPF_NOEXIST);
	return 0;
}

SEC("kprobe/filemap_add_folio")
int BPF_KPROBE(page_cache_add_kprobe, struct address_space *mapping, struct folio *folio)
{ return on_add(mapping, fs_folio_pages(folio)); }

/* A struct page before folios (5.16), at the same offset of mapping. */
SEC("raw_tp/mm_filemap_add_to_page_cache")
int BPF_PROG(page_cache_add_raw, struct folio *folio)
{
	if (!bpf_core_type_exists(struct folio))
		return on_add(BPF_CORE_READ((struct page *)folio, mapping), 1);
	return on_add(BPF_CORE_READ(folio, mapping), fs_folio_pages(folio));
}

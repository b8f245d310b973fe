/* BCC's -e extension summary of biolatency and cpudist ("avg = 2 usecs, total: 4096 usecs,
 * count: 2048"): the sum and count of every value put into the histograms, in the map `ext`,
 * read and reset by user space (hist_print_ext). Include after bcct.bpf.h. */
#ifndef BCCT_HIST_EXT_BPF_H
#define BCCT_HIST_EXT_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bcct_hist_ext);
} ext SEC(".maps");

/* v in the histogram's unit (after any ns -> us/ms division), as BCC sums it. */
static __always_inline void hist_ext_add(u64 v)
{
	u32 zero = 0;
	struct bcct_hist_ext *e = bpf_map_lookup_elem(&ext, &zero);

	if (e) {
		__sync_fetch_and_add(&e->total, v);
		__sync_fetch_and_add(&e->count, 1);
	}
}
#endif

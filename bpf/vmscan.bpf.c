/* vmscan (BPF Performance Tools, ch. 7): the page scanner's work, from the vmscan tracepoints as
 * the book: time in slab shrinking, direct reclaim and memory cgroup reclaim (per interval and as
 * histograms), kswapd wakeups and pages written out by reclaim. */
#include "bcct.bpf.h"
#include "vmscan.h"

struct vmscan_start_key {
	u32 tid;
	u32 kind;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct vmscan_start_key);
	__type(value, u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VMSCAN_COUNTERS);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VMSCAN_KINDS);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline void vmscan_add(u32 counter, u64 v)
{
	u64 *c = bpf_map_lookup_elem(&counters, &counter);

	if (c)
		*c += v;
}

static __always_inline int vmscan_begin(u32 kind)
{
	struct vmscan_start_key key = { .tid = (u32)bpf_get_current_pid_tgid(), .kind = kind };
	u64 ts = bpf_ktime_get_ns();

	if (bcct_filter_current())
		bpf_map_update_elem(&start, &key, &ts, BPF_ANY);
	return 0;
}

static __always_inline int vmscan_end(u32 kind)
{
	struct vmscan_start_key key = { .tid = (u32)bpf_get_current_pid_tgid(), .kind = kind };
	u64 *ts = bpf_map_lookup_elem(&start, &key), delta;

	if (!ts)
		return 0;
	delta = bpf_ktime_get_ns() - *ts;
	bpf_map_delete_elem(&start, &key);
	vmscan_add(kind, delta);
	bcct_hist_add_log2(&hists, &kind, delta);
	return 0;
}

static __always_inline int vmscan_count(u32 counter)
{
	if (bcct_filter_current())
		vmscan_add(counter, 1);
	return 0;
}

SEC("raw_tp/mm_shrink_slab_start")
int slab_start_raw(void *ctx) { return vmscan_begin(VMSCAN_SLAB); }
SEC("raw_tp/mm_shrink_slab_end")
int slab_end_raw(void *ctx) { return vmscan_end(VMSCAN_SLAB); }
SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int direct_begin_raw(void *ctx) { return vmscan_begin(VMSCAN_DIRECT); }
SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int direct_end_raw(void *ctx) { return vmscan_end(VMSCAN_DIRECT); }
SEC("raw_tp/mm_vmscan_memcg_reclaim_begin")
int memcg_begin_raw(void *ctx) { return vmscan_begin(VMSCAN_MEMCG); }
SEC("raw_tp/mm_vmscan_memcg_reclaim_end")
int memcg_end_raw(void *ctx) { return vmscan_end(VMSCAN_MEMCG); }
SEC("raw_tp/mm_vmscan_wakeup_kswapd")
int kswapd_raw(void *ctx) { return vmscan_count(VMSCAN_KSWAPD); }
/* Reclaim's writes: mm_vmscan_write_folio from 6.x, mm_vmscan_writepage before. */
SEC("raw_tp/mm_vmscan_write_folio")
int write_folio_raw(void *ctx) { return vmscan_count(VMSCAN_WRITEPAGE); }
SEC("raw_tp/mm_vmscan_writepage")
int writepage_raw(void *ctx) { return vmscan_count(VMSCAN_WRITEPAGE); }

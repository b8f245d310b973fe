/* compactsnoop: each compaction of a memory zone, from mm_compaction_begin to
 * mm_compaction_end, with the zone, the order asked, the mode and the result. BCC takes the
 * zone and order at mm_compaction_suitable, which direct compaction passes but compaction
 * through /proc/sys/vm/compact_memory (order -1) does not; compact_zone() (kprobe and
 * kretprobe, BCC's own) and newer kernels' mm_compaction_begin/end carry the compact_control,
 * which has them, so this takes them there. With -e, the fragmentation index
 * comes from a kretprobe on fragmentation_index() (direct compaction of costly orders only), as
 * BCC; without kprobes it stays unknown. */
#include "bcct.bpf.h"
#include "compactsnoop.h"

const volatile bool extended = false;   /* -e: watermarks and free pages */
const volatile bool kernel_stack = false;   /* -K */

struct start_val {
	u64 ts;
	int nid, idx, order, sync;
	int fragindex;
	int min, low, high, free;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct start_val);
} start SEC(".maps");

/* fragmentation_index()'s result per thread, for the compaction that follows it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, int);
} fragindex SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 2048);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 127 * sizeof(u64));
} stacks SEC(".maps");

SEC("kretprobe/fragmentation_index")
int BPF_KRETPROBE(fragmentation_index_kretprobe, int ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (bcct_filter_current())
		bpf_map_update_elem(&fragindex, &tid, &ret, BPF_ANY);
	return 0;
}

static __always_inline void zone_state(struct zone *zone, struct start_val *v)
{
	unsigned long wmark[4] = {}, boost = BPF_CORE_READ(zone, watermark_boost);
	long free = 0;

	bpf_probe_read_kernel(wmark, sizeof(wmark), &zone->_watermark);
	v->min = wmark[bpf_core_enum_value(enum zone_watermarks, WMARK_MIN)] + boost;
	v->low = wmark[bpf_core_enum_value(enum zone_watermarks, WMARK_LOW)] + boost;
	v->high = wmark[bpf_core_enum_value(enum zone_watermarks, WMARK_HIGH)] + boost;
	bpf_probe_read_kernel(&free, sizeof(free),
			      &zone->vm_stat[bpf_core_enum_value(enum zone_stat_item, NR_FREE_PAGES)]);
	v->free = free;
}

static __always_inline int begin(struct compact_control *cc, bool sync)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct zone *zone = BPF_CORE_READ(cc, zone);
	struct pglist_data *pgdat = BPF_CORE_READ(zone, zone_pgdat);
	struct start_val v = { .fragindex = COMPACTSNOOP_NO_FRAGINDEX };
	int *fi;

	if (!bcct_filter_current())
		return 0;
	v.ts = bpf_ktime_get_ns();
	v.sync = sync;
	v.order = BPF_CORE_READ(cc, order);
	v.nid = bpf_core_field_exists(zone->node) ? BPF_CORE_READ(zone, node) : 0;
	v.idx = ((u64)zone - (u64)pgdat->node_zones) / bpf_core_type_size(struct zone);
	fi = bpf_map_lookup_elem(&fragindex, &tid);
	if (fi) {
		v.fragindex = *fi;
		bpf_map_delete_elem(&fragindex, &tid);
	}
	if (extended)
		zone_state(zone, &v);
	bpf_map_update_elem(&start, &tid, &v, BPF_ANY);
	return 0;
}

/* compact_zone(cc, capc), as BCC: one zone's compaction, its mode in the control (MIGRATE_ASYNC
 * is 0, the others are synchronous) and its result returned. */
SEC("kprobe/compact_zone")
int BPF_KPROBE(compaction_begin_kprobe, struct compact_control *cc)
{
	return begin(cc, BPF_CORE_READ(cc, mode) != 0);
}

/* Newer kernels' tracepoints carry the compact_control (6.1's do); older ones (5.10) pass zone
 * pfns only, which compactsnoop's configure refuses where no kprobe serves. */
SEC("raw_tp/mm_compaction_begin")
int BPF_PROG(compaction_begin_raw, struct compact_control *cc, unsigned long zone_start,
	     unsigned long zone_end, bool sync)
{
	return begin(cc, sync);
}

static __always_inline int end(void *ctx, int status)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct start_val *v = bpf_map_lookup_elem(&start, &tid);
	struct compactsnoop_event *e;

	if (!v)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (e) {
		e->ts = bpf_ktime_get_ns();
		e->delta_ns = e->ts - v->ts;
		e->pid = id >> 32;
		e->tid = tid;
		e->nid = v->nid;
		e->idx = v->idx;
		e->order = v->order;
		e->sync = v->sync;
		e->fragindex = v->fragindex;
		e->min = v->min;
		e->low = v->low;
		e->high = v->high;
		e->free = v->free;
		e->status = status;
		e->kernel_stack_id = kernel_stack ? bpf_get_stackid(ctx, &stacks, 0) : -1;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bcct_event_submit(ctx, e, sizeof(*e));
	}
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

SEC("kretprobe/compact_zone")
int BPF_KRETPROBE(compaction_end_kretprobe, int ret)
{
	return end(ctx, ret);
}

SEC("raw_tp/mm_compaction_end")
int BPF_PROG(compaction_end_raw, struct compact_control *cc, unsigned long zone_start,
	     unsigned long zone_end, bool sync, int status)
{
	return end(ctx, status);
}

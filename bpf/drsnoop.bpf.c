/* drsnoop: direct reclaim, from vmscan:mm_vmscan_direct_reclaim_begin to _end in one task: its
 * latency, the pages reclaimed and (-v) the free pages when it began, read from the kernel's
 * zone counters (vm_zone_stat, whose address user space finds in kallsyms: as BCC). */
#include "bcct.bpf.h"
#include "drsnoop.h"

const volatile __u64 vm_zone_stat_addr = 0;   /* 0: no free-pages column */

struct start {
	u64 ts;
	u64 free_pages;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct start);
} starts SEC(".maps");

static __always_inline int reclaim_begin(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct start s = {};

	if (!bcct_filter_current())
		return 0;
	s.ts = bpf_ktime_get_ns();
	bpf_get_current_comm(s.comm, sizeof(s.comm));
	if (vm_zone_stat_addr) {
		long v = 0;

		bpf_probe_read_kernel(&v, sizeof(v), (void *)(vm_zone_stat_addr +
				      bpf_core_enum_value(enum zone_stat_item, NR_FREE_PAGES) * sizeof(long)));
		s.free_pages = v > 0 ? v : 0;
	}
	bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int reclaim_end(void *ctx, u64 nr_reclaimed)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct start *s = bpf_map_lookup_elem(&starts, &tid);
	struct drsnoop_event *e;

	if (!s)
		return 0;   /* began before we attached, or filtered out */
	e = bcct_event_reserve(sizeof(*e));
	if (e) {
		e->ts = bpf_ktime_get_ns();
		e->delta_ns = e->ts - s->ts;
		e->nr_reclaimed = nr_reclaimed;
		e->free_pages = s->free_pages;
		e->pid = id >> 32;
		e->tid = tid;
		e->uid = (u32)bpf_get_current_uid_gid();
		e->pad = 0;
		__builtin_memcpy(e->comm, s->comm, sizeof(e->comm));
		bcct_event_submit(ctx, e, sizeof(*e));
	}
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int BPF_PROG(reclaim_begin_raw) { return reclaim_begin(); }

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_begin")
int reclaim_begin_tp(void *ctx) { return reclaim_begin(); }

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int BPF_PROG(reclaim_end_raw, unsigned long nr_reclaimed) { return reclaim_end(ctx, nr_reclaimed); }

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_end")
int reclaim_end_tp(struct trace_event_raw_mm_vmscan_direct_reclaim_end_template *a)
{
	return reclaim_end(a, BPF_CORE_READ(a, nr_reclaimed));
}

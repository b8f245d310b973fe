/* numamove (BPF Performance Tools, ch. 14; libbpf-tools' numamove): page migrations of type NUMA
 * misplaced and the time they took, as libbpf-tools at migrate_misplaced_folio's entry and return
 * (migrate_misplaced_page's before the folio conversion; kprobes); else migrate_pages() of
 * reason MR_NUMA_MISPLACED between the migrate tracepoints mm_migrate_pages_start and
 * mm_migrate_pages: the same call (migrate_misplaced_folio migrates through it), without the
 * isolation before it. */
#include "bcct.bpf.h"
#include "numamove.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NUMAMOVE_COUNTERS);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

static __always_inline int numamove_begin(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 ts = bpf_ktime_get_ns();

	if (bcct_filter_current())
		bpf_map_update_elem(&start, &tid, &ts, BPF_ANY);
	return 0;
}

static __always_inline int numamove_end(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid(), count = NUMAMOVE_COUNT, ns = NUMAMOVE_NS;
	u64 *ts = bpf_map_lookup_elem(&start, &tid), *c;
	u64 delta;

	if (!ts)
		return 0;
	delta = bpf_ktime_get_ns() - *ts;
	bpf_map_delete_elem(&start, &tid);
	if ((c = bpf_map_lookup_elem(&counters, &count)))
		*c += 1;
	if ((c = bpf_map_lookup_elem(&counters, &ns)))
		*c += delta;
	return 0;
}

static __always_inline bool numa_misplaced(int reason)
{
	return reason == bpf_core_enum_value(enum migrate_reason, MR_NUMA_MISPLACED);
}

SEC("kprobe/migrate_misplaced_folio")
int BPF_KPROBE(begin_kprobe) { return numamove_begin(); }

/* its name before the folio conversion (the book's probe): 5.10 has no migrate tracepoints */
SEC("kprobe/migrate_misplaced_page")
int BPF_KPROBE(begin_kprobe2) { return numamove_begin(); }

/* mm_migrate_pages_start's raw arguments are (mode, reason) */
SEC("raw_tp/mm_migrate_pages_start")
int begin_raw(u64 *ctx) { return numa_misplaced((int)ctx[1]) ? numamove_begin() : 0; }

SEC("tracepoint/migrate/mm_migrate_pages_start")
int begin_tp(struct trace_event_raw_mm_migrate_pages_start *ctx)
{
	return numa_misplaced(ctx->reason) ? numamove_begin() : 0;
}

SEC("kretprobe/migrate_misplaced_folio")
int BPF_KRETPROBE(end_kretprobe) { return numamove_end(); }

SEC("kretprobe/migrate_misplaced_page")
int BPF_KRETPROBE(end_kretprobe2) { return numamove_end(); }

/* mm_migrate_pages's raw arguments grew between kernels (the counts before mode and reason), so
 * the reason is not read: the thread has a start only when its migrate_pages() began with reason
 * NUMA misplaced, and this is the end of that same call. */
SEC("raw_tp/mm_migrate_pages")
int end_raw(u64 *ctx) { return numamove_end(); }

SEC("tracepoint/migrate/mm_migrate_pages")
int end_tp(struct trace_event_raw_mm_migrate_pages *ctx)
{
	return numa_misplaced(ctx->reason) ? numamove_end() : 0;
}

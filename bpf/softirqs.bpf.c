/* softirqs: time (or count) per softirq vector, as totals or log2 histograms, from the
 * irq:softirq_entry/softirq_exit tracepoints. */
#include "bcct.bpf.h"
#include "softirqs.h"

const volatile bool targ_dist = false;   /* -d: histograms instead of totals */
const volatile bool targ_ns = false;     /* -N: histogram slots in ns */
const volatile bool targ_events = false; /* -C: count events instead of timing */
const volatile int targ_cpu = -1;        /* -c */

/* A softirq never preempts another on the same CPU: one start time per CPU is enough. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} start SEC(".maps");

/* vector -> total ns (or event count) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SOFTIRQS_NR_VECS);
	__type(key, u32);
	__type(value, u64);
} totals SEC(".maps");

/* vector -> histogram of run time */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SOFTIRQS_NR_VECS);
	__type(key, u32);
	__type(value, struct bcct_hist);
} dists SEC(".maps");

static const u64 zero;
static const struct bcct_hist zero_hist;

static __always_inline bool cpu_wanted(void)
{
	return targ_cpu < 0 || targ_cpu == bpf_get_smp_processor_id();
}

static __always_inline void add_total(u32 vec, u64 v)
{
	u64 *total = bcct_lookup_or_init(&totals, &vec, &zero);

	if (total)
		__sync_fetch_and_add(total, v);
}

static __always_inline int on_entry(u32 vec)
{
	u32 key = 0;
	u64 *ts;

	if (vec >= SOFTIRQS_NR_VECS || !cpu_wanted())
		return 0;
	if (targ_events) {
		add_total(vec, 1);
		return 0;
	}
	ts = bpf_map_lookup_elem(&start, &key);
	if (ts)
		*ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_exit(u32 vec)
{
	struct bcct_hist *h;
	u64 *ts, delta;
	u32 key = 0;

	if (targ_events || vec >= SOFTIRQS_NR_VECS || !cpu_wanted())
		return 0;
	ts = bpf_map_lookup_elem(&start, &key);
	if (!ts || !*ts)
		return 0;   /* entered before tracing began */
	delta = bpf_ktime_get_ns() - *ts;
	*ts = 0;
	if (!targ_dist) {
		add_total(vec, delta);
		return 0;
	}
	h = bcct_lookup_or_init(&dists, &vec, &zero_hist);
	if (h)
		__sync_fetch_and_add(&h->slots[bcct_log2_slot(targ_ns ? delta : delta / 1000)], 1);
	return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(softirq_entry_btf, unsigned int vec) { return on_entry(vec); }
SEC("raw_tp/softirq_entry")
int BPF_PROG(softirq_entry_raw, unsigned int vec) { return on_entry(vec); }
SEC("tracepoint/irq/softirq_entry")
int softirq_entry_tp(struct trace_event_raw_softirq *ctx) { return on_entry(ctx->vec); }

SEC("tp_btf/softirq_exit")
int BPF_PROG(softirq_exit_btf, unsigned int vec) { return on_exit(vec); }
SEC("raw_tp/softirq_exit")
int BPF_PROG(softirq_exit_raw, unsigned int vec) { return on_exit(vec); }
SEC("tracepoint/irq/softirq_exit")
int softirq_exit_tp(struct trace_event_raw_softirq *ctx) { return on_exit(ctx->vec); }

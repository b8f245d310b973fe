/* softirqs: time (or count) per softirq vector, as totals or log2 histograms, from the
 * irq:softirq_entry/softirq_exit tracepoints. */
#include "bcct.bpf.h"
#include "irq.bpf.h"
#include "softirqs.h"

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

static __always_inline int on_entry(u32 vec)
{
	u32 key = 0;

	if (vec >= SOFTIRQS_NR_VECS || !irq_cpu_wanted())
		return 0;
	irq_on_entry(&totals, &vec, bpf_map_lookup_elem(&start, &key));
	return 0;
}

static __always_inline int on_exit(u32 vec)
{
	u32 key = 0;

	if (vec >= SOFTIRQS_NR_VECS || !irq_cpu_wanted())
		return 0;
	irq_on_exit(&totals, &dists, &vec, bpf_map_lookup_elem(&start, &key));
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

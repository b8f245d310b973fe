/* softirqslower: softirqs that waited (raise to entry) or ran (entry to exit) at least min_us,
 * one event each, from the irq:softirq_raise/entry/exit tracepoints. A vector is raised and run
 * on the same CPU, so the times are kept per CPU and vector. Unlike BCC, an entry or exit whose
 * start was not seen (raised or entered before tracing began) is not reported. */
#include "bcct.bpf.h"
#include "irq.bpf.h"                               /* -c */
#include "softirqslower.h"

const volatile __u64 min_ns = 10000 * 1000ULL;

/* per CPU, by vector: when it was first raised since it last ran, when it was entered */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOFTIRQS_NR_VECS);
	__type(key, u32);
	__type(value, u64);
} raised SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOFTIRQS_NR_VECS);
	__type(key, u32);
	__type(value, u64);
} entered SEC(".maps");

/* The time since *start, reported when at least min_ns; *start is cleared. */
static __always_inline void stage_end(void *ctx, u64 *start, u64 now, u32 stage, u32 vec)
{
	struct softirqslower_event *e;
	u64 delta;

	if (!*start)
		return;
	delta = now - *start;
	*start = 0;
	if ((s64)delta < 0 || delta < min_ns || !(e = bcct_event_reserve(sizeof(*e))))
		return;
	e->ts = now;
	e->delta_ns = delta;
	e->stage = stage;
	e->vec = vec;
	e->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bcct_event_submit(ctx, e, sizeof(*e));
}

static __always_inline int on_raise(u32 vec)
{
	u64 *ts;

	if (!irq_cpu_wanted() || !(ts = bpf_map_lookup_elem(&raised, &vec)))
		return 0;
	if (!*ts)       /* raised again before it ran: the wait began at the first raise */
		*ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_entry(void *ctx, u32 vec)
{
	u64 now = bpf_ktime_get_ns(), *ts;

	if (!irq_cpu_wanted() || !(ts = bpf_map_lookup_elem(&raised, &vec)))
		return 0;
	stage_end(ctx, ts, now, SOFTIRQSLOWER_RAISE_TO_ENTRY, vec);
	ts = bpf_map_lookup_elem(&entered, &vec);
	if (ts)
		*ts = now;
	return 0;
}

static __always_inline int on_exit(void *ctx, u32 vec)
{
	u64 *ts;

	if (!irq_cpu_wanted() || !(ts = bpf_map_lookup_elem(&entered, &vec)))
		return 0;
	stage_end(ctx, ts, bpf_ktime_get_ns(), SOFTIRQSLOWER_RUNTIME, vec);
	return 0;
}

SEC("raw_tp/softirq_raise")
int BPF_PROG(softirq_raise_raw, unsigned int vec) { return on_raise(vec); }
SEC("tp_btf/softirq_raise")
int BPF_PROG(softirq_raise_btf, unsigned int vec) { return on_raise(vec); }
SEC("tracepoint/irq/softirq_raise")
int softirq_raise_tp(struct trace_event_raw_softirq *ctx) { return on_raise(ctx->vec); }

SEC("raw_tp/softirq_entry")
int BPF_PROG(softirq_entry_raw, unsigned int vec) { return on_entry(ctx, vec); }
SEC("tp_btf/softirq_entry")
int BPF_PROG(softirq_entry_btf, unsigned int vec) { return on_entry(ctx, vec); }
SEC("tracepoint/irq/softirq_entry")
int softirq_entry_tp(struct trace_event_raw_softirq *ctx) { return on_entry(ctx, ctx->vec); }

SEC("raw_tp/softirq_exit")
int BPF_PROG(softirq_exit_raw, unsigned int vec) { return on_exit(ctx, vec); }
SEC("tp_btf/softirq_exit")
int BPF_PROG(softirq_exit_btf, unsigned int vec) { return on_exit(ctx, vec); }
SEC("tracepoint/irq/softirq_exit")
int softirq_exit_tp(struct trace_event_raw_softirq *ctx) { return on_exit(ctx, ctx->vec); }

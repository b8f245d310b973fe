/* hardirqs: time (or count) per hard IRQ handler name, as totals or log2 histograms, from the
 * irq:irq_handler_entry/irq_handler_exit tracepoints. */
#include "bcct.bpf.h"
#include "hardirqs.h"

const volatile bool targ_dist = false;   /* -d: histograms instead of totals */
const volatile bool targ_ns = false;     /* -N: histogram slots in ns */
const volatile bool targ_count = false;  /* -C: count events instead of timing */
const volatile int targ_cpu = -1;        /* -c */

/* Handlers run with interrupts disabled, so they do not nest on a CPU: one slot per CPU holds
 * the handler in progress. The name is taken at entry because the classic exit tracepoint
 * does not carry it. */
struct irq_start {
	u64 ts;
	struct hardirqs_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct irq_start);
} start SEC(".maps");

/* name -> total ns (or event count) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HARDIRQS_MAX_ENTRIES);
	__type(key, struct hardirqs_key);
	__type(value, u64);
} totals SEC(".maps");

/* name -> histogram of handler time */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HARDIRQS_MAX_ENTRIES);
	__type(key, struct hardirqs_key);
	__type(value, struct bcct_hist);
} dists SEC(".maps");

static const u64 zero;
static const struct bcct_hist zero_hist;

static __always_inline bool cpu_wanted(void)
{
	return targ_cpu < 0 || targ_cpu == bpf_get_smp_processor_id();
}

static __always_inline void add_total(struct hardirqs_key *key, u64 v)
{
	u64 *total = bcct_lookup_or_init(&totals, key, &zero);

	if (total)
		__sync_fetch_and_add(total, v);
}

/* The slot for this CPU with the handler name filled in, or NULL when not traced. */
static __always_inline struct irq_start *entry_slot(void)
{
	u32 idx = 0;

	if (!cpu_wanted())
		return NULL;
	return bpf_map_lookup_elem(&start, &idx);
}

static __always_inline int on_entry(struct irq_start *s)
{
	if (targ_count) {
		add_total(&s->key, 1);
		return 0;
	}
	s->ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_exit(void)
{
	struct bcct_hist *h;
	struct irq_start *s;
	u32 idx = 0;
	u64 delta;

	if (targ_count || !cpu_wanted())
		return 0;
	s = bpf_map_lookup_elem(&start, &idx);
	if (!s || !s->ts)
		return 0;   /* entered before tracing began */
	delta = bpf_ktime_get_ns() - s->ts;
	s->ts = 0;
	if (!targ_dist) {
		add_total(&s->key, delta);
		return 0;
	}
	h = bcct_lookup_or_init(&dists, &s->key, &zero_hist);
	if (h)
		__sync_fetch_and_add(&h->slots[bcct_log2_slot(targ_ns ? delta : delta / 1000)], 1);
	return 0;
}

static __always_inline int entry_action(struct irqaction *action)
{
	struct irq_start *s = entry_slot();

	if (!s)
		return 0;
	__builtin_memset(&s->key, 0, sizeof(s->key));
	bpf_probe_read_kernel_str(s->key.name, sizeof(s->key.name), BPF_CORE_READ(action, name));
	return on_entry(s);
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(irq_handler_entry_btf, int irq, struct irqaction *action) { return entry_action(action); }
SEC("raw_tp/irq_handler_entry")
int BPF_PROG(irq_handler_entry_raw, int irq, struct irqaction *action) { return entry_action(action); }

/* The classic tracepoint has the name as a __data_loc string inside the record. */
SEC("tracepoint/irq/irq_handler_entry")
int irq_handler_entry_tp(struct trace_event_raw_irq_handler_entry *ctx)
{
	struct irq_start *s = entry_slot();
	u32 loc = ctx->__data_loc_name;

	if (!s)
		return 0;
	__builtin_memset(&s->key, 0, sizeof(s->key));
	bpf_probe_read_kernel_str(s->key.name, sizeof(s->key.name), (void *)ctx + (loc & 0xffff));
	return on_entry(s);
}

SEC("tp_btf/irq_handler_exit")
int BPF_PROG(irq_handler_exit_btf, int irq, struct irqaction *action, int ret) { return on_exit(); }
SEC("raw_tp/irq_handler_exit")
int BPF_PROG(irq_handler_exit_raw, int irq, struct irqaction *action, int ret) { return on_exit(); }
SEC("tracepoint/irq/irq_handler_exit")
int irq_handler_exit_tp(struct trace_event_raw_irq_handler_exit *ctx) { return on_exit(); }

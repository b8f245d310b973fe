/* hardirqs: time (or count) per hard IRQ handler name, as totals or log2 histograms, from the
 * irq:irq_handler_entry/irq_handler_exit tracepoints. */
#include "bcct.bpf.h"
#include "irq.bpf.h"
#include "hardirqs.h"

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

/* This CPU's slot, or NULL when the CPU is not traced (-c). */
static __always_inline struct irq_start *cpu_slot(void)
{
	u32 idx = 0;

	if (!irq_cpu_wanted())
		return NULL;
	return bpf_map_lookup_elem(&start, &idx);
}

static __always_inline int on_exit(void)
{
	struct irq_start *s = cpu_slot();

	if (s)
		irq_on_exit(&totals, &dists, &s->key, &s->ts);
	return 0;
}

static __always_inline int entry_action(struct irqaction *action)
{
	struct irq_start *s = cpu_slot();

	if (!s)
		return 0;
	__builtin_memset(&s->key, 0, sizeof(s->key));
	bpf_probe_read_kernel_str(s->key.name, sizeof(s->key.name), BPF_CORE_READ(action, name));
	irq_on_entry(&totals, &s->key, &s->ts);
	return 0;
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(irq_handler_entry_btf, int irq, struct irqaction *action) { return entry_action(action); }
SEC("raw_tp/irq_handler_entry")
int BPF_PROG(irq_handler_entry_raw, int irq, struct irqaction *action) { return entry_action(action); }

/* The classic tracepoint has the name as a __data_loc string inside the record. */
SEC("tracepoint/irq/irq_handler_entry")
int irq_handler_entry_tp(struct trace_event_raw_irq_handler_entry *ctx)
{
	struct irq_start *s = cpu_slot();
	u32 loc = ctx->__data_loc_name;

	if (!s)
		return 0;
	__builtin_memset(&s->key, 0, sizeof(s->key));
	bpf_probe_read_kernel_str(s->key.name, sizeof(s->key.name), (void *)ctx + (loc & 0xffff));
	irq_on_entry(&totals, &s->key, &s->ts);
	return 0;
}

SEC("tp_btf/irq_handler_exit")
int BPF_PROG(irq_handler_exit_btf, int irq, struct irqaction *action, int ret) { return on_exit(); }
SEC("raw_tp/irq_handler_exit")
int BPF_PROG(irq_handler_exit_raw, int irq, struct irqaction *action, int ret) { return on_exit(); }
SEC("tracepoint/irq/irq_handler_exit")
int irq_handler_exit_tp(struct trace_event_raw_irq_handler_exit *ctx) { return on_exit(); }

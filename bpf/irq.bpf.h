/* Interrupt handler time, shared by hardirqs and softirqs: per key (handler name, softirq
 * vector), the total time or event count, or a log2 histogram of the time. Handlers of one kind
 * do not nest on a CPU, so the tool keeps the start time in a per-CPU slot from entry to exit
 * and calls irq_on_entry() and irq_on_exit() with it. Include after bcct.bpf.h; the tool
 * defines its `totals` (key -> u64) and `dists` (key -> struct bcct_hist) maps and passes them
 * in. */
#ifndef BCCT_IRQ_BPF_H
#define BCCT_IRQ_BPF_H

const volatile bool targ_dist = false;   /* -d: histograms instead of totals */
const volatile bool targ_ns = false;     /* -N: histogram slots in ns */
const volatile bool targ_count = false;  /* -C: count events instead of timing */
const volatile int targ_cpu = -1;        /* -c */

static const u64 irq_zero_total;

/* -c: whether this CPU is traced. */
static __always_inline bool irq_cpu_wanted(void)
{
	return targ_cpu < 0 || targ_cpu == bpf_get_smp_processor_id();
}

static __always_inline void irq_add_total(void *totals, const void *key, u64 v)
{
	u64 *total = bcct_lookup_or_init(totals, key, &irq_zero_total);

	if (total)
		__sync_fetch_and_add(total, v);
}

/* At entry: counts the event (-C), or starts the clock in this CPU's slot *start_ts. */
static __always_inline void irq_on_entry(void *totals, const void *key, u64 *start_ts)
{
	if (targ_count)
		irq_add_total(totals, key, 1);
	else if (start_ts)
		*start_ts = bpf_ktime_get_ns();
}

/* At exit: the time since *start_ts, added to key's total or histogram; *start_ts is reset.
 * Nothing with -C (counted at entry), or when the handler was entered before tracing began. */
static __always_inline void irq_on_exit(void *totals, void *dists, const void *key, u64 *start_ts)
{
	u64 delta;

	if (targ_count || !start_ts || !*start_ts)
		return;
	delta = bpf_ktime_get_ns() - *start_ts;
	*start_ts = 0;
	if (!targ_dist)
		irq_add_total(totals, key, delta);
	else
		bcct_hist_add_log2(dists, key, targ_ns ? delta : delta / 1000);
}
#endif

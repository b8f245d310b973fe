/* criticalstat: trace long critical sections (IRQs or preemption disabled). */
#include <stdio.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "symbolize/symbolize.h"
#include "criticalstat.skel.h"
#include "criticalstat.h"

BCCT_SKELETON(criticalstat_bpf);

static struct {
	bool preemptoff, irqoff;
	long duration_us;
	struct bcct_stacks *stacks;
} o = { .duration_us = 100 };

static const struct bcct_opt opts[] = {
	OPT_FLAG_('p', "preemptoff", &o.preemptoff, "Find long sections where preemption was off"),
	OPT_FLAG_('i', "irqoff", &o.irqoff, "Find long sections where IRQ was off"),
	OPT_INT_('d', "duration", &o.duration_us, "DURATION", "Duration in uS (microseconds) below which we filter", 0, LONG_MAX / 1000),
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

/* BCC's b.ksym(addr): the name, "[unknown]" when none. */
static const char *ksym(unsigned long long addr, char *buf, size_t len)
{
	struct bcct_sym sym = { 0 };

	return sym_format(&sym, sym_kernel(addr, &sym), false, buf, len);
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct criticalstat_event *e = data;
	char a[128], b[128], c[128], d[128];
	const char *const *names;
	int n;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	ksym(e->start_ip, a, sizeof(a));
	ksym(e->start_parent, b, sizeof(b));
	ksym(e->end_ip, c, sizeof(c));
	ksym(e->end_parent, d, sizeof(d));
	n = bcct_stack_side(o.stacks, (int)e->stack_id, false, 0, &names);
	if (env.json) {
		out_event_time(0);
		out_begin();
		json_str("comm", e->comm);
		json_int("pid", e->id >> 32);
		json_int("tid", (unsigned int)e->id);
		json_uint("time_ns", e->time_ns);
		json_int("cpu", e->cpu);
		json_str("start", a);
		json_str("start_parent", b);
		json_str("end", c);
		json_str("end_parent", d);
		json_str_array("kernel_stack", n > 0 ? names : NULL, n > 0 ? n : 0);
		out_end();
		return 0;
	}
	printf("===================================\n");
	printf("TASK: %s (pid %5llu tid %5u) Total Time: %-9.3fus\n\n", e->comm, e->id >> 32,
	       (unsigned int)e->id, e->time_ns / 1000.0);
	printf("Section start: %s -> %s\n", a, b);
	printf("Section end:   %s -> %s\n", c, d);
	if (n < 0)
		printf("NO STACK FOUND DUE TO COLLISION\n");
	for (int i = 0; i < n; i++)
		printf("  %s\n", names[i]);
	printf("===================================\n\n");
	return 0;
}

static int configure(void *p)
{
	struct criticalstat_bpf *skel = p;

	skel->rodata->min_ns = (unsigned long long)o.duration_us * 1000;
	/* BCC: -i wins over -p; IRQ-off sections by default */
	bcct_probe_enable(skel, o.preemptoff && !o.irqoff ? "irq_disable" : "preempt_disable", false);
	bcct_probe_enable(skel, o.preemptoff && !o.irqoff ? "irq_enable" : "preempt_enable", false);
	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){ .kernel = true, .offsets = true });
}

static int run(void)
{
	static char banner[96];
	int err;

	snprintf(banner, sizeof(banner), "Finding critical section with %s disabled for > %ldus",
		 o.preemptoff && !o.irqoff ? "preempt" : "IRQ", o.duration_us);
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = banner,
		.on_event = event,
	});
	bcct_stacks_free(o.stacks);
	return err;
}

BCCT_APPLET(criticalstat,
	.category = "scheduler/CPU",
	.summary = "Trace long critical sections (needs the preemptirq tracepoints: CONFIG_PREEMPTIRQ_TRACEPOINTS)",
	.examples =
	"    criticalstat           # IRQ-off sections longer than 100 us\n"
	"    criticalstat -p -d 500 # preempt-off sections longer than 500 us\n",
	.opts = opts,
	.skeleton = &criticalstat_bpf__skeleton,
	.run = run);

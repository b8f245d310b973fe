/* softirqslower: trace slow soft IRQs, waiting after being raised or running, one line each. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "softirqslower.skel.h"
#include "softirqslower.h"

BCCT_SKELETON(softirqslower_bpf);

static struct {
	long min_us, cpu;
} o = { .min_us = 10000, .cpu = -1 };

static const struct bcct_opt opts[] = {
	POS_INT_("min_us", &o.min_us, "minimum softirq latency to trace, in us (default 10000)", 0, LONG_MAX / 1000),
	OPT_INT_('c', "cpu", &o.cpu, "CPU", "trace this CPU only", 0, INT_MAX),
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

/* BCC: "%-8s %s: %s took %d us (%d ms), on CPU:%d, comm:%s". JSON: the stage and the vector by
 * name, the exact time in lat_ns. */
static int event(void *ctx, const void *data, size_t size)
{
	const struct softirqslower_event *e = data;
	const char *vec = sys_softirq_name(e->vec);

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts);
	out_begin();
	out_time("time");
	out_str("stage", "%s:", e->stage == SOFTIRQSLOWER_RAISE_TO_ENTRY ? "irq(hard) to softirq" : "softirq runtime");
	out_str("softirq", "%s", vec ? vec : "?");
	if (env.json)
		json_uint("lat_ns", e->delta_ns);
	else
		printf(" took %llu us (%llu ms),", e->delta_ns / 1000, e->delta_ns / 1000000);
	out_int("cpu", "on CPU:%lld,", e->cpu);
	out_str("comm", "comm:%s", e->comm);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct softirqslower_bpf *skel = p;

	skel->rodata->min_ns = (unsigned long long)o.min_us * 1000;
	skel->rodata->targ_cpu = o.cpu;
	return 0;
}

static int run(void)
{
	static char banner[80];

	/* BCC's banner ends with an empty line. */
	snprintf(banner, sizeof(banner), "Tracing softirq latency higher than %ld us... Hit Ctrl-C to end.\n",
		 o.min_us);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = banner,
		.on_event = event,
	});
}

BCCT_APPLET(softirqslower,
	.category = "scheduler/CPU",
	.summary = "Trace slow soft IRQ (interrupt)",
	.examples =
	"    softirqslower        # trace softirq latency higher than 10000 us (default)\n"
	"    softirqslower 100000 # trace softirq latency higher than 100000 us\n"
	"    softirqslower -c 1   # trace softirq latency on CPU 1 only\n",
	.opts = opts,
	.skeleton = &softirqslower_bpf__skeleton,
	.run = run);

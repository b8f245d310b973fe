/* softirqs: summarize soft IRQ (interrupt) event time, per vector. */
#include <stdio.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "core/table.h"
#include "softirqs.skel.h"
#include "softirqs.h"

BCCT_SKELETON(softirqs_bpf);

static struct {
	bool ns, events, dist;
	long cpu;
} o = { .cpu = -1 };

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('N', "nanoseconds", &o.ns, "output in nanoseconds"),
	OPT_FLAG_('C', "events", &o.events, "show the number of soft irq events"),
	OPT_FLAG_('d', "dist", &o.dist, "show distributions as histograms"),
	OPT_INT_('c', "cpu", &o.cpu, "CPU", "trace this CPU only", 0, INT_MAX),
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	STD_EBPF,
	OPT_END_,
};

static const char *unit(void)
{
	return o.events ? "count" : o.ns ? "nsecs" : "usecs";
}

static void vec_label(const void *key, char *buf, size_t len)
{
	unsigned int vec = *(const unsigned int *)key;

	const char *name = sys_softirq_name(vec);

	snprintf(buf, len, "%s", name ? name : "?");
}

static int print(void *ctx, bool final)
{
	struct softirqs_bpf *skel = ctx;
	char total[32];

	out_interval_begin();
	if (!o.dist) {
		/* Smallest total first (the table's default), as BCC sorts them. */
		snprintf(total, sizeof(total), "TOTAL_%s", unit());
		return table_print_totals(skel->maps.totals, &(struct bcct_table){
			.key_header = "SOFTIRQ",
			.key_width = 16,
			.value_header = total,
			.value_width = 11,
			.label = vec_label,
			.divisor = o.events || o.ns ? 1 : 1000,
			.clear = true,
		});
	}
	return hist_print_map(skel->maps.dists, &(struct bcct_hist_print){
		.unit = unit(),
		.section = "softirq",
		.label = vec_label,
		.clear = true,
	});
}

static int configure(void *p)
{
	struct softirqs_bpf *skel = p;

	skel->rodata->targ_dist = o.dist;
	skel->rodata->targ_ns = o.ns;
	skel->rodata->targ_count = o.events;   /* -C */
	skel->rodata->targ_cpu = o.cpu;
	return 0;
}

static int run(void)
{
	if (o.events && (o.dist || o.ns)) {
		bcct_usage_err("the --events option can't be used with time-based options");
		return BCCT_EXIT_USAGE;
	}
	if (o.cpu >= bcct_ncpus()) {
		bcct_usage_err("invalid CPU %ld: CPUs are numbered 0 to %d", o.cpu, bcct_ncpus() - 1);
		return BCCT_EXIT_USAGE;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.events ? "Tracing soft irq events... Hit Ctrl-C to end."
				   : "Tracing soft irq event time... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(softirqs,
	.category = "scheduler/CPU",
	.summary = "Summarize soft irq event time as histograms",
	.examples =
	"    softirqs            # sum soft irq event time\n"
	"    softirqs -C         # show the number of soft irq events\n"
	"    softirqs -d         # show soft irq event time as histograms\n"
	"    softirqs 1 10       # print 1 second summaries, 10 times\n"
	"    softirqs -NT 1      # 1s summaries, nanoseconds, and timestamps\n"
	"    softirqs -c 1       # sum soft irq event time on CPU 1 only\n",
	.opts = opts,
	.skeleton = &softirqs_bpf__skeleton,
	.run = run);

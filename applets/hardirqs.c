/* hardirqs: summarize hard IRQ (interrupt) event time, per handler name. */
#include <stdio.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "hardirqs.skel.h"
#include "hardirqs.h"

BCCT_SKELETON(hardirqs_bpf);

static struct {
	bool ns, count, dist;
	long cpu;
} o = { .cpu = -1 };

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('N', "nanoseconds", &o.ns, "output in nanoseconds"),
	OPT_FLAG_('C', "count", &o.count, "show event counts instead of timing"),
	OPT_FLAG_('d', "dist", &o.dist, "show distributions as histograms"),
	OPT_INT_('c', "cpu", &o.cpu, "CPU", "trace this CPU only", 0, INT_MAX),
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	POS_INT_("outputs", OPT_DEST(env, count), "number of outputs", 1, INT_MAX),
	STD_EBPF,
	OPT_END_,
};

static const char *unit(void)
{
	return o.count ? "count" : o.ns ? "nsecs" : "usecs";
}

static int print(void *ctx, bool final)
{
	struct hardirqs_bpf *skel = ctx;
	char total[32];

	out_interval_begin();
	/* Rows and sections are named by the 32-byte key, printed up to its NUL. */
	if (!o.dist) {
		/* Smallest total first (the table's default), as BCC sorts them. */
		snprintf(total, sizeof(total), "TOTAL_%s", unit());
		return table_print_totals(skel->maps.totals, &(struct bcct_table){
			.key_header = "HARDIRQ",
			.key_width = 26,
			.value_header = total,
			.value_width = 11,
			.divisor = o.count || o.ns ? 1 : 1000,
			.clear = true,
		});
	}
	return hist_print_map(skel->maps.dists, &(struct bcct_hist_print){
		.unit = unit(),
		.section = "hardirq",
		.clear = true,
	});
}

static int configure(void *p)
{
	struct hardirqs_bpf *skel = p;

	skel->rodata->targ_dist = o.dist;
	skel->rodata->targ_ns = o.ns;
	skel->rodata->targ_count = o.count;
	skel->rodata->targ_cpu = o.cpu;
	return 0;
}

static int run(void)
{
	if (o.count && (o.dist || o.ns)) {
		bcct_usage_err("the --count option can't be used with time-based options");
		return BCCT_EXIT_USAGE;
	}
	if (o.cpu >= bcct_ncpus()) {
		bcct_usage_err("invalid CPU %ld: CPUs are numbered 0 to %d", o.cpu, bcct_ncpus() - 1);
		return BCCT_EXIT_USAGE;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.count ? "Tracing hard irq events... Hit Ctrl-C to end."
				  : "Tracing hard irq event time... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(hardirqs,
	.category = "scheduler/CPU",
	.summary = "Summarize hard irq event time as histograms",
	.examples =
	"    hardirqs            # sum hard irq event time\n"
	"    hardirqs -d         # show hard irq event time as histograms\n"
	"    hardirqs 1 10       # print 1 second summaries, 10 times\n"
	"    hardirqs -NT 1      # 1s summaries, nanoseconds, and timestamps\n"
	"    hardirqs -c 1       # sum hard irq event time on CPU 1 only\n",
	.opts = opts,
	.skeleton = &hardirqs_bpf__skeleton,
	.run = run);

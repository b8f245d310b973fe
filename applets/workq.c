/* workq (BPF Performance Tools, ch. 14): work-queue function execution times, a histogram in
 * microseconds per function. */
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "durhist.h"
#include "workq.skel.h"

BCCT_SKELETON(workq_bpf);

static const struct bcct_opt opts[] = {
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct workq_bpf *skel = p;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "usecs", .section = "function", .label = hist_label_ksym, .clear = true });
}

static int configure(void *p)
{
	struct workq_bpf *skel = p;

	skel->rodata->durhist_div = 1000;
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing workqueue function execution. Hit Ctrl-C to end.",
		.on_interval = print,
		.kernel_symbols = true,
	});
}

BCCT_APPLET(workq,
	.category = "kernel",
	.summary = "Work-queue function execution times, a histogram per function (book)",
	.examples =
	"    workq              # histograms until Ctrl-C\n"
	"    workq 1 5          # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &workq_bpf__skeleton,
	.run = run);

/* smpcalls (BPF Performance Tools, ch. 6): SMP cross-call times, a histogram in nanoseconds per
 * called function. */
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "durhist.h"
#include "smpcalls.skel.h"

BCCT_SKELETON(smpcalls_bpf);

static const struct bcct_opt opts[] = {
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct smpcalls_bpf *skel = p;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "nsecs", .section = "function", .label = hist_label_ksym, .clear = true });
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing SMP calls. Hit Ctrl-C to end.",
		.on_interval = print,
		.kernel_symbols = true,
	});
}

BCCT_APPLET(smpcalls,
	.category = "scheduler/CPU",
	.summary = "SMP cross-call times, a histogram per function (book)",
	.fallback = "the called function's run on the target CPU (csd tracepoints), not the caller's "
		    "time in smp_call_function_single/many",
	.examples =
	"    smpcalls           # histograms until Ctrl-C\n"
	"    smpcalls 1 5       # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &smpcalls_bpf__skeleton,
	/* without kprobes the csd tracepoints of call_begin/call_end see these calls too */
	.optional_probes = BCCT_NAMES("many_begin", "many_end"),
	.run = run);

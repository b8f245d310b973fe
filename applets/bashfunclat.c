/* bashfunclat (BPF Performance Tools, ch. 12): bash shell function latency, a log2 histogram of
 * milliseconds per function name (the book's @ms[name]), from a function's scope opening to its
 * closing (push_context to pop_context: core/family/rt.h), nested calls timed each. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "bashfunc.h"
#include "bashfunc.skel.h"

BCCT_SKELETON(bashfunc_bpf);

static struct {
	const char *shell;      /* NULL: /bin/bash */
} o;

static const struct bcct_opt opts[] = {
	RT_BASH_OPT(&o.shell),
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static int print(void *ctx, bool final)
{
	struct bashfunc_bpf *skel = ctx;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "msecs",
		.section = "function",
		.clear = true,
	});
}

static int configure(void *p)
{
	struct bashfunc_bpf *skel = p;

	skel->rodata->latency = true;
	return 0;
}

static int attach(void *ctx)
{
	struct bashfunc_bpf *skel = ctx;

	return rt_bash_attach(o.shell, skel->progs.push_context_uprobe,
			      skel->progs.pop_context_uprobe);
}

static int run(void)
{
	env.timestamp = env.interval > 0;   /* the time above each interval's histogram */
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.banner = "Tracing bash function latency, Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(bashfunclat,
	.category = "language runtime",
	.summary = "Bash shell function latency histograms, by function name (book)",
	.examples =
	"    bashfunclat               # histograms until Ctrl-C\n"
	"    bashfunclat 5             # every 5 seconds\n",
	.opts = opts,
	.skeleton = &bashfunc_bpf__skeleton,
	.run = run);

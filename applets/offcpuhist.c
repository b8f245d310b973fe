/* offcpuhist (BPF Performance Tools, ch. 13): off-CPU time in nanoseconds, a histogram per
 * kernel and user stack and thread (-p: of one process). */
#include "core/applet.h"
#include "core/stackhists.h"
#include "offcpuhist.h"
#include "offcpuhist.skel.h"

BCCT_SKELETON(offcpuhist_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_STACK_OPTS,
	STD_FILTERS,
	OPT_END_,
};

static void describe(const void *key, struct bcct_stack *st)
{
	const struct offcpuhist_key *k = key;

	st->kernel_id = k->kernel_stack_id;
	st->user_id = k->user_stack_id;
	st->pid = k->tid;
	st->tgid = k->pid;
	st->comm = k->comm;
}

static int run(void)
{
	return bcct_stack_hists_run(&(struct bcct_stack_hists){
		.banner = "Tracing nanosecond time in off-CPU stacks. Ctrl-C to end.",
		.fmt = { .kernel = true, .user = true },
		.describe = describe,
	});
}

BCCT_APPLET(offcpuhist,
	.category = "scheduler/CPU",
	.summary = "Off-CPU time histograms by kernel and user stack and thread (book)",
	.examples =
	"    offcpuhist -p 181  # off-CPU histograms of PID 181 until Ctrl-C\n"
	"    offcpuhist 5 1     # every thread of the system, one 5-second summary\n",
	.opts = opts,
	.skeleton = &offcpuhist_bpf__skeleton,
	.run = run);

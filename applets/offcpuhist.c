/* offcpuhist (BPF Performance Tools, ch. 13): off-CPU time in nanoseconds, a histogram per
 * kernel and user stack and thread (-p: of one process). */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "offcpuhist.h"
#include "offcpuhist.skel.h"

BCCT_SKELETON(offcpuhist_bpf);

static struct {
	struct bcct_stacks *stacks;
} o;

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

static int print(void *p, bool final)
{
	struct offcpuhist_bpf *skel = p;

	out_interval_begin();
	return bcct_stacks_print_hists(o.stacks, skel->maps.hists, describe, "nsecs", true) < 0 ? -1 : 0;
}

static int configure(void *p)
{
	struct offcpuhist_bpf *skel = p;

	bcct_stacks_free(o.stacks);   /* from an attempt core fell back from */
	o.stacks = bcct_stacks_new(skel->maps.stacks,
				   &(struct bcct_stack_fmt){ .kernel = true, .user = true });
	return o.stacks ? 0 : BCCT_EXIT_FAIL;
}

static int run(void)
{
	int err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing nanosecond time in off-CPU stacks. Ctrl-C to end.",
		.on_interval = print,
	});

	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	return err;
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

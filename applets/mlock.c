/* mlock (BPF Performance Tools, ch. 14): kernel mutex lock wait times in nanoseconds, a
 * histogram per kernel stack and process. */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "mlock.h"
#include "mlock.skel.h"

BCCT_SKELETON(mlock_bpf);

static struct {
	struct bcct_stacks *stacks;
} o;

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void describe(const void *key, struct bcct_stack *st)
{
	const struct mlock_key *k = key;

	st->kernel_id = k->kernel_stack_id;
	st->user_id = -1;
	st->pid = k->pid;
	st->comm = k->comm;
}

static int print(void *p, bool final)
{
	struct mlock_bpf *skel = p;

	out_interval_begin();
	return bcct_stacks_print_hists(o.stacks, skel->maps.hists, describe, "nsecs", true) < 0 ? -1 : 0;
}

static int configure(void *p)
{
	struct mlock_bpf *skel = p;

	bcct_stacks_free(o.stacks);   /* from an attempt core fell back from */
	o.stacks = bcct_stacks_new(skel->maps.stacks, &(struct bcct_stack_fmt){ .kernel = true });
	return o.stacks ? 0 : BCCT_EXIT_FAIL;
}

static int run(void)
{
	int err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing mutex lock waits... Hit Ctrl-C to end.",
		.on_interval = print,
	});

	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	return err;
}

BCCT_APPLET(mlock,
	.category = "kernel",
	.summary = "Kernel mutex lock wait times by kernel stack and process (book)",
	.fallback = "contended acquisitions only (lock:contention_begin/end), not every mutex_lock call",
	.examples =
	"    mlock              # histograms by stack until Ctrl-C\n"
	"    mlock -p 181       # PID 181 only\n"
	"    mlock 5 1          # one 5-second summary\n",
	.opts = opts,
	.skeleton = &mlock_bpf__skeleton,
	.run = run);

/* mlock (BPF Performance Tools, ch. 14): kernel mutex lock wait times in nanoseconds, a
 * histogram per kernel stack and process. */
#include "core/applet.h"
#include "core/stackhists.h"
#include "mlock.skel.h"

BCCT_SKELETON(mlock_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static int run(void)
{
	return bcct_stack_hists_run(&(struct bcct_stack_hists){
		.banner = "Tracing mutex lock waits... Hit Ctrl-C to end.",
	});
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

/* mheld (BPF Performance Tools, ch. 14): kernel mutex hold times in nanoseconds, a histogram
 * per kernel stack (where the mutex was released) and process. Needs kprobes. */
#include "core/applet.h"
#include "core/stackhists.h"
#include "mheld.skel.h"

BCCT_SKELETON(mheld_bpf);

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
		.banner = "Tracing mutex_lock() held times, Ctrl-C to end.",
	});
}

BCCT_APPLET(mheld,
	.category = "kernel",
	.summary = "Kernel mutex hold times by kernel stack and process (book)",
	.description =
	"From the return of each successful mutex_lock, mutex_trylock or mutex_lock_interruptible\n"
	"to the mutex's mutex_unlock, a histogram per kernel stack at the unlock and process (the\n"
	"book's also keys on the mutex's symbol, which most mutexes, being inside objects, lack).\n"
	"Needs kprobes: no tracepoint marks where a mutex is taken without contention.",
	.examples =
	"    mheld              # hold-time histograms by stack until Ctrl-C\n"
	"    mheld -p 1         # PID 1 (init) only\n"
	"    mheld 5 1          # one 5-second summary\n",
	.opts = opts,
	.skeleton = &mheld_bpf__skeleton,
	.optional_probes = BCCT_NAMES("interruptible_enter", "interruptible_return"),
	.run = run);

/* iosched: I/O scheduler queue latency, a histogram per scheduler, as the book's iosched.bt (BPF
 * Performance Tools, ch. 9; the book's list spells it issched). */
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "iosched.skel.h"

BCCT_SKELETON(iosched_bpf);

static struct {
	const char *disk;
	unsigned int dev;
} o;

static const struct bcct_opt opts[] = {
	OPT_STR_('d', "disk", &o.disk, "DISK", "trace this disk only"),
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_JSON,       /* no task filters: whoever inserts or issues is not the I/O's owner */
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

static int print(void *ctx, bool final)
{
	struct iosched_bpf *skel = ctx;

	(void)final;
	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "usecs",
		.section = "Elevator",
		.clear = true,
	});
}

static int configure(void *p)
{
	struct iosched_bpf *skel = p;

	BLK_RQ_CONFIGURE(skel->rodata, o.disk, o.dev);
	return 0;
}

static int run(void)
{
	if (!blk_disk_option(o.disk, &o.dev))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing block I/O schedulers. Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(iosched,
	.category = "block I/O",
	.summary = "Summarize I/O scheduler queue latency as a histogram per scheduler",
	.description =
	"Time from block_rq_insert (the request enters the I/O scheduler) to block_rq_issue (it\n"
	"goes to the device), per scheduler name (mq-deadline, bfq, kyber): the book's iosched.bt.\n"
	"Disks without a scheduler (none) insert nothing and are not shown.",
	.examples =
	"    iosched              # trace scheduler latency until Ctrl-C\n"
	"    iosched 1 10         # print 1 second summaries, 10 times\n"
	"    iosched -d loop0     # trace loop0 only\n",
	.opts = opts,
	.skeleton = &iosched_bpf__skeleton,
	.run = run);

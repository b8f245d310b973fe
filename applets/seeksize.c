/* seeksize: requested disk seek distances per process, as the book's seeksize.bt (BPF
 * Performance Tools, ch. 9), with bitesize's options. */
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "seeksize.skel.h"

BCCT_SKELETON(seeksize_bpf);

static struct {
	const char *disk;
	unsigned int dev;
} o;

static const struct bcct_opt opts[] = {
	OPT_STR_('c', "comm", OPT_DEST(env, comm), "COMM", "trace this process name (exact comm) only"),
	OPT_STR_('d', "disk", &o.disk, "DISK", "trace this disk only"),
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_CGROUP,
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

static int print(void *ctx, bool final)
{
	struct seeksize_bpf *skel = ctx;

	(void)final;
	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "sectors",
		.section = "Process Name",
		.label = hist_label_comm,
		.json_label = hist_json_comm,
		.cmp = hist_cmp_comm,
		.clear = true,
	});
}

static int configure(void *p)
{
	struct seeksize_bpf *skel = p;

	BLK_RQ_CONFIGURE(skel->rodata, o.disk, o.dev);
	return 0;
}

static int run(void)
{
	if (!blk_disk_option(o.disk, &o.dev))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing block I/O requested seeks... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(seeksize,
	.category = "block I/O",
	.summary = "Show disk seek distances (sectors) requested, as a histogram per process",
	.description =
	"Each block request's distance, in sectors, from where the disk's previous request ended,\n"
	"at block_rq_issue (the book's seeksize.bt): 0 for sequential I/O.",
	.examples =
	"    seeksize              # trace seek distances until Ctrl-C\n"
	"    seeksize 1 10         # print 1 second summaries, 10 times\n"
	"    seeksize -c dd        # trace the I/O of processes named dd only\n"
	"    seeksize -d loop0     # trace loop0 only\n",
	.opts = opts,
	.skeleton = &seeksize_bpf__skeleton,
	.run = run);

/* bitesize: block device I/O size distribution per process, as BCC's (and libbpf-tools' -c, -d,
 * -T, interval and count). */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "bitesize.skel.h"
#include "bitesize.h"

BCCT_SKELETON(bitesize_bpf);

static struct {
	const char *disk;
	unsigned int dev;     /* -d as a dev_t */
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
	struct bitesize_bpf *skel = ctx;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "Kbytes",
		.section = "Process Name",
		.label = hist_label_comm,
		.json_label = hist_json_comm,
		.cmp = hist_cmp_comm,
		.clear = true,
	});
}

static int configure(void *p)
{
	struct bitesize_bpf *skel = p;

	BLK_RQ_CONFIGURE(skel->rodata, o.disk, o.dev);
	return 0;
}

static int run(void)
{
	if (!blk_disk_option(o.disk, &o.dev))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing block I/O... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(bitesize,
	.category = "block I/O",
	.summary = "Summarize block device I/O size as a histogram per process",
	.examples =
	"    bitesize              # trace block I/O sizes until Ctrl-C\n"
	"    bitesize 1 10         # print 1 second summaries, 10 times\n"
	"    bitesize -T 1         # 1s summaries with timestamps\n"
	"    bitesize -c dd        # trace the I/O of processes named dd only\n"
	"    bitesize -d sda       # trace sda only\n",
	.opts = opts,
	.skeleton = &bitesize_bpf__skeleton,
	.run = run);

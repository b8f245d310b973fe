/* biosnoop: trace block device I/O, one line per I/O with the issuing PID and the latency. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/output.h"
#include "core/run.h"
#include "biosnoop.skel.h"
#include "biosnoop.h"

BCCT_SKELETON(biosnoop_bpf);

static struct {
	bool queue, pattern;
	const char *disk;
	unsigned int dev;     /* -d as a dev_t */
	unsigned long long start_ts;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('Q', "queue", &o.queue, "include OS queued time"),
	OPT_STR_('d', "disk", &o.disk, "DISK", "trace this disk only"),
	OPT_FLAG_('P', "pattern", &o.pattern, "display block I/O pattern (sequential or random)"),
	STD_CGROUP,    /* --cgroup, --comm: of the issuing task (the COMM column) */
	STD_COMM,
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

/* ---- output ----------------------------------------------------------------------------- */

/* BCC prints the columns after BYTES glued to its 7-wide field ("%-7s%7.2f"). */
static void header(void *ctx)
{
	if (env.json)
		return;
	printf("%-11s %-14s %-7s %-9s %-1s %-10s %-7s", "TIME(s)", "COMM", "PID", "DISK", "T",
	       "SECTOR", "BYTES");
	if (o.pattern)
		printf("%-1s ", "P");
	if (o.queue)
		printf("%7s ", "QUE(ms)");
	printf("%7s\n", "LAT(ms)");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct biosnoop_event *e = data;
	char disk[64], pattern[2] = { e->pattern, 0 };

	if (!o.start_ts)
		o.start_ts = e->ts;
	if (e->disk[0])
		snprintf(disk, sizeof(disk), "%.*s", (int)sizeof(e->disk), e->disk);
	else
		blk_devt_name(e->dev, disk, sizeof(disk), "<unknown>");   /* BCC's biosnoop */
	out_event_time(e->ts);
	out_begin();
	out_float("time_s", "%-11.6f", (e->ts - o.start_ts) / 1e9);
	out_str("comm", "%-14.14s", e->comm);
	out_int("pid", "%-7lld", e->pid);
	out_str("disk", "%-9s", disk);
	out_str("t", "%-1s", e->rwflag == 'W' ? "W" : "R");
	out_uint("sector", "%-10llu", e->sector);
	/* "%-6llu" and the separator make BCC's 7-wide field for sizes below a million */
	out_uint("bytes", "%-6llu", e->len);
	if (o.pattern)
		out_str("pattern", "%-1s", pattern);
	if (o.queue)
		out_float("que_ms", "%7.2f", e->qdelta / 1e6);
	out_float("lat_ms", "%7.2f", e->delta / 1e6);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct biosnoop_bpf *skel = p;

	skel->rodata->targ_queued = o.queue;
	skel->rodata->targ_pattern = o.pattern;
	BLK_RQ_CONFIGURE(skel->rodata, o.disk, o.dev);
	return 0;
}

static int run(void)
{
	if (!blk_disk_option(o.disk, &o.dev))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(biosnoop,
	.category = "block I/O",
	.summary = "Trace block I/O",
	.examples =
	"    biosnoop           # trace all block I/O\n"
	"    biosnoop -Q        # include OS queued time\n"
	"    biosnoop -d sdc    # trace sdc only\n"
	"    biosnoop -P        # display block I/O pattern\n",
	.opts = opts,
	.skeleton = &biosnoop_bpf__skeleton,
	.optional_probes = BCCT_NAMES("block_io_start"),
	.run = run);

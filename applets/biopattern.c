/* biopattern: per disk, the share of block I/O that was random and sequential. */
#include <math.h>
#include <stdio.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "biopattern.skel.h"
#include "biopattern.h"

BCCT_SKELETON(biopattern_bpf);

static struct {
	const char *disk;
	unsigned int dev;       /* -d as a dev_t */
	bool timestamp;
} o;

static const struct bcct_opt opts[] = {
	OPT_STR_('d', "disk", &o.disk, "DISK", "Trace this disk only"),
	/* libbpf-tools' -T adds the TIME column that BCC's biopattern always prints */
	OPT_FLAG_('T', "timestamp", &o.timestamp, "Include timestamp on output (always: BCC's columns)"),
	STD_INTERVAL,
	STD_COUNT,
	STD_JSON,       /* no task filters: a completion's current task is whoever was running */
	STD_VERBOSE,
	OPT_END_,
};

static void header(void *ctx)
{
	(void)ctx;
	out_header("%-9s %-7s %5s %5s %8s %10s", "TIME", "DISK", "%RND", "%SEQ", "COUNT", "KBYTES");
}

static int by_dev(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static int print(void *ctx, bool final)
{
	struct biopattern_bpf *skel = ctx;
	struct bcct_entries e;

	(void)final;
	if (bcct_map_collect(skel->maps.counters, &e) < 0)
		return -1;
	bcct_entries_sort(&e, by_dev);
	out_list("rows");
	for (size_t i = 0; i < e.n; i++) {
		unsigned int dev = *(const unsigned int *)bcct_entry_key(&e, i);
		const struct biopattern_counter *c = bcct_entry_value(&e, i);
		unsigned long long total = (unsigned long long)c->random + c->sequential;
		char disk[64];
		long long rnd;

		if (!total)
			continue;
		/* Python's round(): halves to even, as rint() in the default rounding mode */
		rnd = (long long)rint(c->random * 100.0 / total);
		blk_devt_name(dev, disk, sizeof(disk), "Unknown");
		out_begin();
		out_time_fmt("time", "%-9s");
		out_str("disk", "%-7s", disk);
		out_int("rnd_pct", "%5lld", rnd);
		out_int("seq_pct", "%5lld", 100 - rnd);
		out_uint("count", "%8llu", total);
		if (env.json)           /* exact: bytes, not KBYTES */
			out_uint("bytes", "", c->bytes);
		else
			out_uint("kbytes", "%10llu", c->bytes / 1024);
		out_end();
	}
	bcct_entries_free(&e);
	return bcct_map_clear(skel->maps.counters) < 0 ? -1 : 0;
}

static int configure(void *p)
{
	struct biopattern_bpf *skel = p;

	skel->rodata->filter_dev = o.disk != NULL;
	skel->rodata->targ_dev = o.dev;
	return 0;
}

static int run(void)
{
	if (!blk_disk_option(o.disk, &o.dev))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_interval = print,
	});
}

BCCT_APPLET(biopattern,
	.category = "block I/O",
	.summary = "Show block device I/O pattern",
	.description =
	"At each block I/O completion (block:block_rq_complete), the I/O is sequential when it starts\n"
	"where the disk's previous one ended, else random; the first one a disk completes in an\n"
	"interval only sets that position, as in BCC. Without an interval, one summary at Ctrl-C.",
	.examples =
	"    biopattern            # show block device I/O pattern\n"
	"    biopattern 1 10       # print 1 second summaries, 10 times\n"
	"    biopattern -d sdb     # show sdb only\n",
	.opts = opts,
	.skeleton = &biopattern_bpf__skeleton,
	.run = run);

/* blkthrot: bios blk-throttle held back or let through, per block cgroup, as the book's
 * blkthrot.bt (BPF Performance Tools, ch. 15), printed as a table at Ctrl-C or per interval. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "blkthrot.skel.h"
#include "blkthrot.h"

BCCT_SKELETON(blkthrot_bpf);

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_JSON,       /* no task filters: the bio's cgroup is what is counted */
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

static void row(const void *key, const void *value)
{
	const unsigned int *css_id = key;
	const struct blkthrot_counts *c = value;

	out_begin();
	out_uint("css_id", "%-10llu", *css_id);
	out_uint("throttled", "%12llu", c->throttled);
	out_uint("not_throttled", "%14llu", c->not_throttled);
	out_end();
}

/* Rows with the most throttled bios first. */
static int print(void *ctx, bool final)
{
	struct blkthrot_bpf *skel = ctx;

	(void)final;
	out_interval_begin();
	out_header("%-10s %12s %14s", "CSS_ID", "THROTTLED", "NOT_THROTTLED");
	return table_print_values(skel->maps.counts, row, true);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing block I/O throttles by cgroup. Ctrl-C to end",
		.on_interval = print,
	});
}

BCCT_APPLET(blkthrot,
	.category = "block I/O",
	.summary = "Count block I/O throttled by blk-cgroup, per cgroup",
	.description =
	"Every bio checked by blk-throttle (cgroup v2 io.max, v1 blkio.throttle.*), counted per\n"
	"block cgroup (its css id) as held back (THROTTLED) or let through, from the return of\n"
	"blk_throtl_bio (__blk_throtl_bio from 5.13): the book's blkthrot.bt. No tracepoint sees\n"
	"this, so a kernel without kprobes, or without throttling, is refused in one line.",
	.examples =
	"    blkthrot             # count throttled and passed bios until Ctrl-C\n"
	"    blkthrot 5           # print 5 second summaries\n",
	.opts = opts,
	.skeleton = &blkthrot_bpf__skeleton,
	.run = run);

/* biotop: block device I/O by process, direction and disk, top-style (core/top.h). */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/output.h"
#include "core/run.h"
#include "core/top.h"
#include "biotop.skel.h"
#include "biotop.h"

BCCT_SKELETON(biotop_bpf);

static const struct bcct_opt opts[] = {
	TOP_NOCLEAR,
	TOP_MAXROWS,
	TOP_SORT('s', "sort column, default bytes (bytes, io, time, all)"),
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* bcct_map_collect's layout: the key (a multiple of 8 bytes), then the value. */
struct row {
	struct biotop_key key;
	struct biotop_val val;
};

TOP_BY_FIELD(struct row, bytes)
TOP_BY_FIELD(struct row, io)
TOP_BY_FIELD(struct row, ns)

/* libbpf-tools' "all": the three columns summed, as it sorts them. */
static int by_all(const void *a, const void *b)
{
	const struct biotop_val *x = &((const struct row *)a)->val, *y = &((const struct row *)b)->val;

	return top_larger_first(x->io + x->bytes + x->ns / 1000, y->io + y->bytes + y->ns / 1000);
}

static void print_row(void *ctx, const void *entry)
{
	const struct row *r = entry;
	char comm[sizeof(r->key.comm) + 1], disk[64], kbytes[32];

	(void)ctx;
	snprintf(comm, sizeof(comm), "%s", r->key.comm);
	blk_devt_name(r->key.dev, disk, sizeof(disk), "?");
	out_begin();
	out_int("pid", "%-7lld", r->key.pid);
	out_str("comm", "%-16s", comm);
	out_str("d", "%1s", r->key.write ? "W" : "R");
	out_int("maj", "%-3lld", BLK_DEVT_MAJOR(r->key.dev));
	out_int("min", "%-3lld", BLK_DEVT_MINOR(r->key.dev));
	out_str("disk", "%-8s", disk);
	out_uint("io", "%5llu", r->val.io);
	if (env.json) {                 /* exact: bytes and nanoseconds, not Kbytes and ms */
		out_uint("bytes", "", r->val.bytes);
		out_uint("total_ns", "", r->val.ns);
	} else {
		/* BCC prints Python's bytes / 1024 with "%s": "4.0", "10.5" */
		out_str("kbytes", "%7s", out_python_float(kbytes, sizeof(kbytes), r->val.bytes / 1024.0));
	}
	out_float("avg_ms", "%6.2f", r->val.io ? r->val.ns / 1e6 / r->val.io : 0);
	out_end();
}

static const struct bcct_top display = {
	.sorts = (const struct bcct_top_sort[]){
		{ "bytes", by_bytes }, { "io", by_io }, { "time", by_ns }, { "all", by_all }, { NULL },
	},
	.title = top_title_loadavg,
	.header = "PID     COMM             D MAJ MIN DISK       I/O  Kbytes  AVGms",
	.row = print_row,
};

static int configure(void *p)
{
	struct biotop_bpf *skel = p;

	skel->rodata->rq_after_queue = blk_rq_has_queue_arg();
	return 0;
}

static struct bpf_map *rows_map(void *skel)
{
	return ((struct biotop_bpf *)skel)->maps.counts;
}

static int run(void)
{
	return top_run_map(&display, configure, rows_map);
}

BCCT_APPLET(biotop,
	.category = "block I/O",
	.summary = "Block device (disk) I/O by process",
	.description =
	"Counts each block I/O, its bytes and its time from issue to completion, by the process that\n"
	"started it (block:block_io_start, else the insertion or the issue), its direction and disk.",
	.examples =
	"    biotop            # block device I/O top, 1 second refresh\n"
	"    biotop -C         # don't clear the screen\n"
	"    biotop -p 181     # only trace PID 181\n"
	"    biotop 5          # 5 second summaries\n"
	"    biotop 5 10       # 5 second summaries, 10 times only\n",
	.opts = opts,
	.skeleton = &biotop_bpf__skeleton,
	.optional_probes = BCCT_NAMES("block_io_start"),
	.run = run);

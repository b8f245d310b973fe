/* biostacks: block I/O latency histograms by the kernel stack that started the I/O
 * (libbpf-tools' biostacks; BCC has none). */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/hist.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "biostacks.skel.h"
#include "biostacks.h"

BCCT_SKELETON(biostacks_bpf);

static struct {
	const char *disk;
	unsigned int dev;       /* -d as a dev_t */
	bool ms;
	struct bcct_stacks *stacks;
} o;

static const struct bcct_opt opts[] = {
	OPT_STR_('d', "disk", &o.disk, "DISK", "Trace this disk only"),
	OPT_FLAG_('m', "milliseconds", &o.ms, "Millisecond histogram"),
	POS_INT_("duration", OPT_DEST(env, duration), "total duration of trace, in seconds", 1, INT_MAX),
	STD_FILTERS,
	OPT_END_,
};

/* bcct_map_collect's layout: the key (a multiple of 8 bytes), then the value. */
struct row {
	struct biostacks_key key;
	struct bcct_hist hist;
};

static int by_key(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct biostacks_key));
}

/* libbpf-tools' layout: "COMM PID DISK", the frames innermost first, the histogram, a blank
 * line. JSON: one element of "hists" with the same in keys. */
static void print_one(const struct row *r, const char *unit)
{
	const char *const *frames = NULL;
	char comm[sizeof(r->key.comm) + 1], disk[64];
	uint64_t slots[BCCT_MAX_SLOTS];
	int n;

	snprintf(comm, sizeof(comm), "%s", r->key.comm);
	blk_devt_name(r->key.dev, disk, sizeof(disk), "Unknown");
	hist_widen(slots, r->hist.slots, BCCT_MAX_SLOTS);
	n = bcct_stack_frames(o.stacks, r->key.stack_id, false, 0, NULL, &frames);
	if (env.json) {
		out_list("hists");
		json_begin_object(NULL);
		json_str("comm", comm);
		json_int("pid", r->key.pid);
		json_str("disk", disk);
		json_str_array("kernel_stack", frames, n > 0 ? n : 0);
		hist_json_log2(slots, BCCT_MAX_SLOTS, unit);
		json_end_object();
		return;
	}
	printf("%-14.14s %-6d %-7s\n", comm, r->key.pid, disk);
	for (int i = 0; i < n; i++)
		printf("%s\n", frames[i]);
	hist_print_log2(stdout, slots, BCCT_MAX_SLOTS, unit);
	printf("\n");
}

static int print(void *ctx, bool final)
{
	struct biostacks_bpf *skel = ctx;
	struct bcct_entries e;

	(void)final;
	if (bcct_map_collect(skel->maps.hists, &e) < 0)
		return -1;
	bcct_entries_sort(&e, by_key);
	out_list("hists");
	for (size_t i = 0; i < e.n; i++)
		print_one(bcct_entry_key(&e, i), o.ms ? "msecs" : "usecs");
	bcct_entries_free(&e);
	fflush(stdout);
	return 0;
}

static int configure(void *p)
{
	struct biostacks_bpf *skel = p;

	skel->rodata->targ_ms = o.ms;
	BLK_RQ_CONFIGURE(skel->rodata, o.disk, o.dev);
	skel->rodata->block_rq_who_stack = true;
	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){ .kernel = true });
}

static int run(void)
{
	int err;

	if (!blk_disk_option(o.disk, &o.dev))
		return BCCT_EXIT_USAGE;
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = env.duration ? "Tracing block I/O with init stacks." :
			  "Tracing block I/O with init stacks. Hit Ctrl-C to end.",
		.on_interval = print,
	});
	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	return err;
}

BCCT_APPLET(biostacks,
	.category = "block I/O",
	.summary = "Tracing block I/O with init stacks",
	.description =
	"A latency histogram per task, kernel stack and disk: from the I/O's start (block_io_start,\n"
	"the accounting start; before 6.5 its insertion or issue), where the stack is taken, to its\n"
	"completion (block_rq_complete).",
	.examples =
	"    biostacks              # trace block I/O with init stacks.\n"
	"    biostacks 1            # trace for 1 seconds only\n"
	"    biostacks -d sdc       # trace sdc only\n",
	.opts = opts,
	.skeleton = &biostacks_bpf__skeleton,
	.optional_probes = BCCT_NAMES("block_io_start"),
	.run = run);

/* writeback (BPF Performance Tools, ch. 8): each writeback with its device, pages, reason and
 * duration, the book's columns (bpf/writeback.bpf.c). */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "writeback.skel.h"
#include "writeback.h"

BCCT_SKELETON(writeback_bpf);

static const struct bcct_opt opts[] = {
	STD_DURATION('d'),
	/* No process filters: writeback runs in kernel workers on everyone's behalf. */
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static const char *const reason_names[WBR_COUNT] = {
	[WBR_BACKGROUND] = "background", [WBR_VMSCAN] = "vmscan", [WBR_SYNC] = "sync",
	[WBR_PERIODIC] = "periodic", [WBR_LAPTOP_TIMER] = "laptop_timer",
	[WBR_FREE_MORE_MEM] = "free_more_memory", [WBR_FS_FREE_SPACE] = "fs_free_space",
	[WBR_FORKER_THREAD] = "forker_thread", [WBR_FOREIGN_FLUSH] = "foreign_flush",
	[WBR_UNKNOWN] = "unknown",
};

static void header(void *ctx)
{
	out_header("%-9s %-8s %-8s %-16s %s", "TIME", "DEVICE", "PAGES", "REASON", "ms");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct writeback_event *e = data;

	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts);
	out_begin();
	out_time_fmt("time", "%-9s");
	out_str("device", "%-8s", e->name);
	/* The tracepoint's nr_pages is what is left of the work's budget (LONG_MAX for sync);
	 * the book prints its low 16 bits, JSON the whole value. */
	out_int("nr_pages", "%-8lld", env.json ? e->nr_pages : e->nr_pages & 0xffff);
	out_str("reason", "%-16s", reason_names[e->reason < WBR_COUNT ? e->reason : WBR_UNKNOWN]);
	out_float("lat_ms", "%.3f", e->lat_ns / 1000 / 1000.0);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing writeback... Hit Ctrl-C to end.",
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(writeback,
	.category = "file/VFS",
	.summary = "Trace file system writeback events with reason and duration (book)",
	.description =
	"Each writeback the kernel completes (writeback:writeback_written), its backing device,\n"
	"the work's nr_pages (low 16 bits, as the book's tool prints them), its reason, and the\n"
	"milliseconds since writeback_start on the same superblock (0 when the start was missed).",
	.examples =
	"    writeback          # trace writeback events until Ctrl-C\n"
	"    writeback -d 10    # for 10 seconds\n",
	.opts = opts,
	.skeleton = &writeback_bpf__skeleton,
	.run = run);

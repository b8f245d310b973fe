/* runqslower: trace high run queue (scheduler) latency, one line per slow wait. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "runqslower.skel.h"
#include "runqslower.h"

BCCT_SKELETON(runqslower_bpf);

static struct {
	bool previous;
	long min_us;
} o = { .min_us = 10000 };

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_TID('t'),
	OPT_FLAG_('P', "previous", &o.previous, "also show previous task name and TID"),
	STD_CGROUP,    /* --cgroup, --comm: of the task that waited */
	STD_COMM,
	STD_JSON,
	STD_VERBOSE,
	POS_INT_("min_us", &o.min_us, "minimum run queue latency to trace, in us (default 10000)", 0, LONG_MAX),
	STD_EBPF,
	OPT_END_,
};

static void header(void *ctx)
{
	if (o.previous)
		out_header("%-8s %-16s %-6s %14s %-16s %-6s", "TIME", "COMM", "TID", "LAT(us)",
			   "PREV COMM", "PREV TID");
	else
		out_header("%-8s %-16s %-6s %14s", "TIME", "COMM", "TID", "LAT(us)");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct runqslower_event *e = data;

	out_event_time(e->ts);
	out_begin();
	out_time("time");
	out_str("comm", "%-16s", e->task);
	out_int("tid", "%-6lld", e->pid);
	out_uint("lat_us", "%14llu", e->delta_us);
	if (o.previous) {
		out_str("prev_comm", "%-16s", e->prev_task);
		out_int("prev_tid", "%-6lld", e->prev_pid);
	}
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct runqslower_bpf *skel = p;

	skel->rodata->min_us = o.min_us;
	return 0;
}

static int run(void)
{
	static char banner[64];

	if (env.pid && env.tid) {
		bcct_usage_err("-p and -t are mutually exclusive");
		return BCCT_EXIT_USAGE;
	}
	snprintf(banner, sizeof(banner), "Tracing run queue latency higher than %ld us", o.min_us);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = banner,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(runqslower,
	.category = "scheduler/CPU",
	.summary = "Trace high run queue latency",
	.examples =
	"    runqslower         # trace run queue latency higher than 10000 us (default)\n"
	"    runqslower 1000    # trace run queue latency higher than 1000 us\n"
	"    runqslower -p 123  # trace pid 123\n"
	"    runqslower -t 123  # trace tid 123 (use for threads only)\n"
	"    runqslower -P      # also show previous task comm and TID\n",
	.opts = opts,
	.skeleton = &runqslower_bpf__skeleton,
	.run = run);

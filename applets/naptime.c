/* naptime (BPF Performance Tools, ch. 13): voluntary sleeps as they begin, with the sleeper's
 * parent, in the book's columns. The book traces nanosleep(); clock_nanosleep() is traced too
 * (what glibc's sleep functions call today); an absolute deadline on CLOCK_MONOTONIC prints as
 * the time left, one on another clock is not shown. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "naptime.h"
#include "naptime.skel.h"

BCCT_SKELETON(naptime_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_DURATION('d'),
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("%-8s %-6s %-16s %-6s %-16s %s", "TIME", "PPID", "PCOMM", "PID", "COMM", "SECONDS");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct naptime_event *e = data;
	char seconds[32];

	if (size < sizeof(*e))
		return 0;
	/* The book's "%d.%03d": whole seconds, then milliseconds truncated. */
	snprintf(seconds, sizeof(seconds), "%llu.%03llu", e->sleep_ns / 1000000000ULL,
		 e->sleep_ns % 1000000000ULL / 1000000ULL);
	out_event_time(e->ts);
	out_begin();
	out_time_fmt("time", "%-8s");
	out_int("ppid", "%-6lld", e->ppid);
	out_str("pcomm", "%-16s", e->pcomm);
	out_int("pid", "%-6lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	if (env.json)
		out_uint("sleep_ns", "", e->sleep_ns);
	else
		out_str("seconds", "%s", seconds);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing sleeps. Hit Ctrl-C to end.",
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(naptime,
	.category = "process",
	.summary = "Voluntary sleeps (nanosleep, clock_nanosleep) with the sleeper's parent (book)",
	.examples =
	"    naptime           # every sleep call, as it begins\n"
	"    naptime -p 181    # sleeps of PID 181 only\n",
	.opts = opts,
	.skeleton = &naptime_bpf__skeleton,
	.run = run);

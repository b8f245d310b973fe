/* dcsnoop: trace directory entry cache (dcache) lookups: misses, and with -a every one. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "dcstat.skel.h"
#include "dcstat.h"

BCCT_SKELETON(dcstat_bpf);

static struct {
	bool all;
	unsigned long long start_ns;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('a', "all", &o.all, "trace all lookups (default is fails only)"),
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	o.start_ns = bcct_now_ns();
	out_header("%-11s %-7s %-16s %1s %s", "TIME(s)", "PID", "COMM", "T", "FILE");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct dcsnoop_event *e = data;
	char comm[sizeof(e->comm) + 1], name[sizeof(e->name) + 1];

	if (size < sizeof(*e))
		return 0;
	snprintf(comm, sizeof(comm), "%.*s", (int)sizeof(e->comm), e->comm);
	snprintf(name, sizeof(name), "%.*s", (int)sizeof(e->name), e->name);
	out_event_time(e->ts_ns);
	out_begin();
	out_float("time_s", "%-11.6f", e->ts_ns > o.start_ns ? (e->ts_ns - o.start_ns) / 1e9 : 0);
	out_int("pid", "%-7lld", e->pid);
	out_str("comm", "%-16s", comm);
	out_str("t", "%1s", e->type == DCSNOOP_MISS ? "M" : "R");
	out_str("file", "%s", name);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct dcstat_bpf *skel = p;

	skel->rodata->snoop = true;
	bcct_probe_enable(skel, "fast", o.all);
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(dcsnoop,
	.category = "file/VFS",
	.summary = "Trace directory entry cache (dcache) lookups",
	.description =
	"Misses are d_lookup() calls that returned NULL; -a adds every lookup_fast() call as a\n"
	"reference (fentry/fexit, else kprobes). There is no tracepoint in the dcache: on a kernel\n"
	"without kprobes and fentry it stops and says so.",
	.examples =
	"    dcsnoop           # trace failed dcache lookups\n"
	"    dcsnoop -a        # trace all dcache lookups\n",
	.opts = opts,
	.skeleton = &dcstat_bpf__skeleton,
	.run = run);

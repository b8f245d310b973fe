/* runqlat: summarize run queue (scheduler) latency as a histogram. */
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "runqlat.skel.h"

BCCT_SKELETON(runqlat_bpf);

static struct {
	bool ms, pids, tids, pidnss;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('m', "milliseconds", &o.ms, "millisecond histogram"),
	OPT_FLAG_('P', "pids", &o.pids, "print a histogram per process ID"),
	OPT_FLAG_(0, "pidnss", &o.pidnss, "print a histogram per PID namespace"),
	OPT_FLAG_('L', "tids", &o.tids, "print a histogram per thread ID"),
	STD_PID('p'),
	STD_JSON,
	STD_CGROUP,    /* --cgroup, --comm: of the task that waited */
	STD_COMM,
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	STD_EBPF,
	OPT_END_,
};

static int print(void *ctx, bool final)
{
	struct runqlat_bpf *skel = ctx;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = o.ms ? "msecs" : "usecs",
		.section = o.pids ? "pid" : o.tids ? "tid" : o.pidnss ? "pidns" : NULL,
		/* BCC's runqlat prints the bare id (section_print_fn=int), unlike cpudist's comm */
		.clear = true,
	});
}

static int configure(void *skel)
{
	struct runqlat_bpf *s = skel;

	s->rodata->targ_ms = o.ms;
	s->rodata->per_process = o.pids;
	s->rodata->per_thread = o.tids;
	s->rodata->per_pidns = o.pidnss;
	/* One histogram (key 0) unless -P, -L or --pidnss split it. */
	return o.pids || o.tids || o.pidnss ? 0 : bcct_map_resize(skel, "hists", 1);
}

static int run(void)
{
	if (o.pids + o.tids + o.pidnss > 1) {
		bcct_usage_err("-P, -L and --pidnss are mutually exclusive");
		return BCCT_EXIT_USAGE;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing run queue latency... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(runqlat,
	.category = "scheduler/CPU",
	.summary = "Summarize run queue (CPU scheduler) latency as a histogram",
	.examples =
	"    runqlat            # summarize run queue latency as a histogram\n"
	"    runqlat 1 10       # print 1 second summaries, 10 times\n"
	"    runqlat -mT 1      # 1s summaries, milliseconds, and timestamps\n"
	"    runqlat -P         # show each PID separately\n"
	"    runqlat -p 185     # trace PID 185 only\n"
	"    runqlat --pidnss   # show each PID namespace separately\n"
	"    runqlat -L         # show each thread ID separately\n",
	.opts = opts,
	.skeleton = &runqlat_bpf__skeleton,
	.run = run);

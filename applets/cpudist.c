/* cpudist: summarize on- and off-CPU time per task as a histogram. */
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "cpudist.skel.h"

BCCT_SKELETON(cpudist_bpf);

static struct {
	bool offcpu, ms, pids, tids, idle, extension;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('O', "offcpu", &o.offcpu, "measure off-CPU time"),
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('m', "milliseconds", &o.ms, "millisecond histogram"),
	OPT_FLAG_('P', "pids", &o.pids, "print a histogram per process ID"),
	OPT_FLAG_('L', "tids", &o.tids, "print a histogram per thread ID"),
	STD_PID('p'),
	OPT_FLAG_('I', "include-idle", &o.idle, "include CPU idle time"),
	OPT_FLAG_('e', "extension", &o.extension, "show extension summary (average/total/count)"),
	STD_CGROUP,
	STD_COMM,
	STD_JSON,     /* BCC's cpudist has no -j */
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	STD_EBPF,
	OPT_END_,
};

static int print(void *ctx, bool final)
{
	struct cpudist_bpf *skel = ctx;
	const char *unit = o.ms ? "msecs" : "usecs";
	int err;

	out_interval_begin();
	err = hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = unit,
		.section = o.pids ? "pid" : o.tids ? "tid" : NULL,
		.label = o.pids || o.tids ? hist_label_pid : NULL,
		.clear = true,
	});
	if (o.extension)
		hist_print_ext(skel->maps.ext, unit);
	return err;
}

static int configure(void *p)
{
	struct cpudist_bpf *skel = p;

	skel->rodata->targ_offcpu = o.offcpu;
	skel->rodata->targ_ms = o.ms;
	skel->rodata->per_process = o.pids;
	skel->rodata->per_thread = o.tids;
	skel->rodata->include_idle = o.idle;
	/* One histogram (key 0) unless -P or -L split it. */
	return o.pids || o.tids ? 0 : bcct_map_resize(skel, "hists", 1);
}

static int run(void)
{
	if (o.pids && o.tids) {
		bcct_usage_err("-P and -L are mutually exclusive");
		return BCCT_EXIT_USAGE;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.offcpu ? "Tracing off-CPU time... Hit Ctrl-C to end."
				   : "Tracing on-CPU time... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(cpudist,
	.category = "scheduler/CPU",
	.summary = "Summarize on- and off-CPU time per task as a histogram",
	.examples =
	"    cpudist              # summarize on-CPU time as a histogram\n"
	"    cpudist -O           # summarize off-CPU time as a histogram\n"
	"    cpudist 1 10         # print 1 second summaries, 10 times\n"
	"    cpudist -mT 1        # 1s summaries, milliseconds, and timestamps\n"
	"    cpudist -P           # show each PID separately\n"
	"    cpudist -p 185       # trace PID 185 only\n"
	"    cpudist -I           # include CPU idle time\n"
	"    cpudist -e           # show extension summary (average/total/count)\n",
	.opts = opts,
	.skeleton = &cpudist_bpf__skeleton,
	.run = run);

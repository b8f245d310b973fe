/* mysqld_clat (BPF Performance Tools, ch. 13): MySQL command latency as a histogram of
 * microseconds, from one mysqld's USDT probes mysql:command__start/command__done; printed at
 * Ctrl-C, or every interval with the time of day. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/hist.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "mysqld_clat.skel.h"

BCCT_SKELETON(mysqld_clat_bpf);

static struct {
	const char *pid;
} o;

static const struct bcct_opt opts[] = {
	POS_STR_("PID", &o.pid, "the mysqld process to trace"),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static int print(void *ctx, bool final)
{
	struct mysqld_clat_bpf *skel = ctx;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "usecs",
		.clear = true,
	});
}

static int attach(void *ctx)
{
	struct mysqld_clat_bpf *skel = ctx;

	return rt_mysqld_attach(o.pid, "command", skel->progs.command_start_usdt,
				skel->progs.command_done_usdt);
}

static int run(void)
{
	if (!o.pid) {
		bcct_usage_err("the following arguments are required: PID");
		return BCCT_EXIT_USAGE;
	}
	env.timestamp = env.interval > 0;   /* the time above each interval's histogram */
	return bcct_run(&(struct bcct_run){
		.attach = attach,
		.banner = "Tracing mysqld command latency... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(mysqld_clat,
	.category = "library",
	.summary = "MySQL command latency histogram (USDT command__start/done) (book)",
	.examples =
	"    mysqld_clat $(pgrep -n mysqld)      # histogram until Ctrl-C\n"
	"    mysqld_clat $(pgrep -n mysqld) 1    # a histogram every second\n",
	.opts = opts,
	.skeleton = &mysqld_clat_bpf__skeleton,
	.run = run);

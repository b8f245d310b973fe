/* pidpersec: count new processes (via fork) per second, as BCC's pidpersec. */
#include <stdio.h>
#include "core/applet.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "pidpersec.skel.h"

BCCT_SKELETON(pidpersec_bpf);

static const struct bcct_opt opts[] = {
	STD_FILTERS,
	OPT_END_,
};

/* "HH:MM:SS: PIDs/sec: N" each second; like BCC, nothing for the second Ctrl-C cuts short. */
static int print(void *ctx, bool final)
{
	struct pidpersec_bpf *skel = ctx;
	unsigned long long n;
	char now[16];

	if (final) {
		out_interval_skip();
		return 0;
	}
	if (bcct_counters_take(skel->maps.stats, &n, 1))
		return -1;
	if (env.json) {
		out_begin_members();
		out_uint("pids_per_s", "%llu", n);
		out_end();
	} else {
		printf("%s: PIDs/sec: %llu\n", sys_time_of_day(now, sizeof(now)), n);
	}
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing... Ctrl-C to end.",
		.on_interval = print,
		.interval = 1,
	});
}

BCCT_APPLET(pidpersec,
	.category = "process",
	.summary = "Count new processes (via fork)",
	.description =
	"Every second, the number of new processes (and threads) created. BCC counts sched_fork\n"
	"calls (fentry, kprobe); without them the sched:sched_process_fork tracepoint counts\n"
	"the forks that succeeded.",
	.examples =
	"    pidpersec             # count new processes every second until Ctrl-C\n",
	.opts = opts,
	.skeleton = &pidpersec_bpf__skeleton,
	.fallback = "sched:sched_process_fork: forks that succeeded, not every sched_fork call",
	.run = run);

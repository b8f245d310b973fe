/* cpuwalk (BPF Performance Tools, ch. 6, bpftrace's cpuwalk.bt): which CPUs processes run on,
 * sampled at 99 Hertz, a linear histogram by CPU. */
#include <stdint.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "cpuwalk.skel.h"

BCCT_SKELETON(cpuwalk_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct cpuwalk_bpf *skel = p;
	int n = bcct_ncpus();
	unsigned long long counts[n];
	uint64_t slots[n];

	out_interval_begin();
	if (bcct_counters_take(skel->maps.cpus, counts, n) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		slots[i] = counts[i];
	hist_emit_linear(NULL, NULL, slots, n, "cpu");
	return 0;
}

static int configure(void *skel)
{
	return bcct_map_resize(skel, "cpus", bcct_ncpus());
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Sampling CPUs at 99 Hertz... Hit Ctrl-C to end.",
		.on_interval = print,
		.sample_freq = 99,
	});
}

BCCT_APPLET(cpuwalk,
	.category = "scheduler/CPU",
	.summary = "Which CPUs processes run on, sampled: a histogram by CPU (book)",
	.examples =
	"    cpuwalk            # histogram by CPU until Ctrl-C\n"
	"    cpuwalk -p 181     # PID 181 only\n"
	"    cpuwalk 1 5        # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &cpuwalk_bpf__skeleton,
	.run = run);

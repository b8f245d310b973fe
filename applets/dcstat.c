/* dcstat: dcache references, slow-path lookups, misses and hit ratio per interval. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/rates.h"
#include "core/run.h"
#include "dcstat.skel.h"
#include "dcstat.h"

BCCT_SKELETON(dcstat_bpf);

static const struct bcct_opt opts[] = {
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static long interval(void)
{
	return env.interval ? env.interval : 1;
}

static void header(void *ctx)
{
	out_header("TIME         REFS/s   SLOW/s   MISS/s     HIT%%");
}

static int print(void *ctx, bool final)
{
	struct dcstat_bpf *skel = ctx;
	static const char *const keys[DCSTAT_MAX] = { "refs_per_s", "slow_per_s", "miss_per_s" };
	unsigned long long n[DCSTAT_MAX];

	if (rates_row_begin(skel->maps.stats, keys, n, DCSTAT_MAX, interval()))
		return -1;
	/* BCC prints a dash when nothing was looked up. */
	if (n[DCSTAT_REFS])
		out_float("hit_pct", "%8.2f", 100.0 * ((double)n[DCSTAT_REFS] - n[DCSTAT_MISS]) / n[DCSTAT_REFS]);
	else if (!env.json)
		out_str("hit_pct", "%7s%%", "-");
	out_end();
	return 0;
}

static int configure(void *skel)
{
	bcct_probe_enable(skel, "lookup", false);   /* dcsnoop's: the name asked for */
	return bcct_map_resize(skel, "names", 1);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_interval = print,
		.interval = interval(),
	});
}

BCCT_APPLET(dcstat,
	.category = "file/VFS",
	.summary = "Directory entry cache (dcache) stats",
	.description =
	"REFS counts lookup_fast() calls, SLOW d_lookup() calls, MISS those that returned NULL\n"
	"(fentry/fexit, else kprobes). There is no tracepoint in the dcache: on a kernel without\n"
	"kprobes and fentry it stops and says so.",
	.examples =
	"    dcstat               # interval one second\n"
	"    dcstat 5 3           # interval five seconds, three intervals\n",
	.opts = opts,
	.skeleton = &dcstat_bpf__skeleton,
	.run = run);

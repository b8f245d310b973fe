/* numamove (BPF Performance Tools, ch. 14; libbpf-tools' numamove): NUMA-misplaced page
 * migrations per second and the milliseconds they took, libbpf-tools' columns. */
#include "core/applet.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "numamove.h"
#include "numamove.skel.h"

BCCT_SKELETON(numamove_bpf);

static const struct bcct_opt opts[] = {
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("%-10s %18s %18s", "TIME", "NUMA_migrations", "NUMA_migrations_ms");
}

static int print(void *p, bool final)
{
	struct numamove_bpf *skel = p;
	unsigned long long c[NUMAMOVE_COUNTERS];

	if (bcct_counters_take(skel->maps.counters, c, NUMAMOVE_COUNTERS) < 0)
		return -1;
	out_begin_members();
	out_time_fmt("time", "%-10s ");
	out_uint("migrations", "%18llu ", c[NUMAMOVE_COUNT]);
	/* The text in whole milliseconds as libbpf-tools'; JSON exact. */
	out_uint("migrations_ns", "%18llu", env.json ? c[NUMAMOVE_NS] : c[NUMAMOVE_NS] / 1000000);
	out_end();
	return 0;
}

static int run(void)
{
	if (!env.interval)
		env.interval = 1;
	return bcct_run(&(struct bcct_run){
		.on_start = header,
		.on_interval = print,
	});
}

BCCT_APPLET(numamove,
	.category = "memory",
	.summary = "NUMA-misplaced page migrations per second and their time (book; libbpf-tools')",
	.fallback = "migrate_pages() of reason NUMA misplaced (the migrate tracepoints), without the "
		    "page isolation before it",
	.examples =
	"    numamove              # Show page migrations' count and latency\n",
	.opts = opts,
	.skeleton = &numamove_bpf__skeleton,
	.run = run);

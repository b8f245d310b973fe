/* vmscan (BPF Performance Tools, ch. 7): the page scanner every second, as the book's columns:
 * milliseconds in slab shrinking, direct reclaim and memory cgroup reclaim, kswapd wakeups and
 * pages written by reclaim; at the end, histograms of each kind's durations in nanoseconds. */
#include "core/applet.h"
#include "core/hist.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "vmscan.h"
#include "vmscan.skel.h"

BCCT_SKELETON(vmscan_bpf);

static const struct bcct_opt opts[] = {
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void kind_label(const void *key, char *buf, size_t len)
{
	static const char *const names[VMSCAN_KINDS] = {
		[VMSCAN_SLAB] = "shrink_slab", [VMSCAN_DIRECT] = "direct_reclaim",
		[VMSCAN_MEMCG] = "mem_cgroup_reclaim",
	};
	unsigned int k = *(const unsigned int *)key;

	snprintf(buf, len, "%s", k < VMSCAN_KINDS ? names[k] : "?");
}

static int print(void *p, bool final)
{
	struct vmscan_bpf *skel = p;
	unsigned long long c[VMSCAN_COUNTERS];

	if (bcct_counters_take(skel->maps.counters, c, VMSCAN_COUNTERS) < 0)
		return -1;
	out_begin_members();
	out_time_fmt("time", "%-8s   ");
	/* The text in whole milliseconds as the book's; JSON exact. */
	out_uint("s_slab_ns", "%10llu ", env.json ? c[VMSCAN_SLAB] : c[VMSCAN_SLAB] / 1000000);
	out_uint("d_reclaim_ns", "%12llu ", env.json ? c[VMSCAN_DIRECT] : c[VMSCAN_DIRECT] / 1000000);
	out_uint("m_reclaim_ns", "%12llu ", env.json ? c[VMSCAN_MEMCG] : c[VMSCAN_MEMCG] / 1000000);
	out_uint("kswapd", "%6llu ", c[VMSCAN_KSWAPD]);
	out_uint("writepage", "%9llu", c[VMSCAN_WRITEPAGE]);
	out_end();
	/* The book's histograms, of the whole run, once at the end. */
	if (final)
		return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
			.unit = "nsecs", .section = "reclaim", .label = kind_label });
	return 0;
}

static void header(void *ctx)
{
	out_header("%-10s %10s %12s %12s %6s %9s", "TIME", "S-SLABms", "D-RECLAIMms", "M-RECLAIMms",
		   "KSWAPD", "WRITEPAGE");
}

static int run(void)
{
	if (!env.interval)
		env.interval = 1;
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing the page scanner. Hit Ctrl-C to end.",
		.on_start = header,
		.on_interval = print,
	});
}

BCCT_APPLET(vmscan,
	.category = "memory",
	.summary = "Page scanner: slab shrink and reclaim times, kswapd wakeups, writes (book)",
	.optional_probes = BCCT_NAMES("write_folio", "writepage"),
	.examples =
	"    vmscan             # every second until Ctrl-C\n"
	"    vmscan 5 3         # every 5 seconds, 3 times\n",
	.opts = opts,
	.skeleton = &vmscan_bpf__skeleton,
	.run = run);

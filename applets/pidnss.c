/* pidnss (BPF Performance Tools, ch. 15): context switches from a task of one PID namespace to a
 * task of another, counted by the namespace switched out and its UTS node name: how often
 * containers (and the host) take the CPU from each other. */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "pidnss.h"
#include "pidnss.skel.h"

BCCT_SKELETON(pidnss_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void row(const void *key, unsigned long long count)
{
	const struct pidnss_key *k = key;

	out_begin();
	out_uint("pidns", "%-12llu ", k->pidns);
	out_str("nodename", "%-24s ", k->nodename);
	out_uint("count", "%10llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct pidnss_bpf *skel = p;

	out_interval_begin();
	out_header("%-12s %-24s %10s", "PIDNS", "NODENAME", "SWITCHES");
	return table_print_counts(skel->maps.counts, row, true);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing PID namespace switches. Ctrl-C to end",
		.on_interval = print,
	});
}

BCCT_APPLET(pidnss,
	.category = "containers",
	.summary = "Context switches between PID namespaces, by the namespace switched out (book)",
	.examples =
	"    pidnss             # count until Ctrl-C\n"
	"    pidnss 1 5         # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &pidnss_bpf__skeleton,
	.run = run);

/* hardirqs: summarize hard IRQ (interrupt) event time, per handler name. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "hardirqs.skel.h"
#include "hardirqs.h"

static struct {
	bool ns, count, dist;
	long cpu;
} o = { .cpu = -1 };

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('N', "nanoseconds", &o.ns, "output in nanoseconds"),
	OPT_FLAG_('C', "count", &o.count, "show event counts instead of timing"),
	OPT_FLAG_('d', "dist", &o.dist, "show distributions as histograms"),
	OPT_INT_('c', "cpu", &o.cpu, "CPU", "trace this CPU only", 0, INT_MAX),
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	POS_INT_("outputs", &env.count, "number of outputs", 1, INT_MAX),
	OPT_END_,
};

static const char *unit(void)
{
	return o.count ? "count" : o.ns ? "nsecs" : "usecs";
}

/* bcct_map_collect's layout for a 32-byte key: the key, then the value. */
struct entry {
	struct hardirqs_key key;
	unsigned long long total;
};

/* BCC sorts the totals ascending. */
static int by_total(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? -1 : 1;
	return strncmp(x->key.name, y->key.name, sizeof(x->key.name));
}

static int print_totals(struct bpf_map *map)
{
	unsigned long long div = o.count || o.ns ? 1 : 1000;
	char key[32], column[32];
	struct bcct_entries e;

	if (bcct_map_collect(map, &e) < 0)
		return -1;
	bcct_entries_sort(&e, by_total);
	snprintf(key, sizeof(key), "total_%s", unit());
	snprintf(column, sizeof(column), "TOTAL_%s", unit());
	out_header("%-26s %11s", "HARDIRQ", column);
	for (size_t i = 0; i < e.n; i++) {
		const struct entry *row = bcct_entry_key(&e, i);
		char name[HARDIRQS_NAME_LEN + 1];

		snprintf(name, sizeof(name), "%.*s", HARDIRQS_NAME_LEN, row->key.name);
		out_begin();
		if (env.json)
			out_time("ts");
		out_str("hardirq", "%-26s", name);
		out_uint(key, "%11llu", row->total / div);
		out_end();
	}
	bcct_entries_free(&e);
	return bcct_map_clear(map);
}

static int print(void *ctx, bool final)
{
	struct hardirqs_bpf *skel = ctx;
	char ts[16];

	out_text("\n");
	if (env.timestamp)
		out_text("%-8s\n", bcct_time_str(ts, sizeof(ts)));
	if (!o.dist)
		return print_totals(skel->maps.totals);
	/* Sections are named by the 32-byte key, printed up to its NUL. */
	return hist_print_map(skel->maps.dists, &(struct bcct_hist_print){
		.unit = unit(),
		.section = "hardirq",
		.clear = true,
	});
}

static int run(void)
{
	struct hardirqs_bpf *skel;
	int err;

	if (o.count && (o.dist || o.ns)) {
		bcct_usage_err("the --count option can't be used with time-based options");
		return BCCT_EXIT_USAGE;
	}
	if (o.cpu >= bcct_ncpus()) {
		bcct_usage_err("invalid CPU %ld: CPUs are numbered 0 to %d", o.cpu, bcct_ncpus() - 1);
		return BCCT_EXIT_USAGE;
	}
	skel = hardirqs_bpf__open();
	if (skel) {
		skel->rodata->targ_dist = o.dist;
		skel->rodata->targ_ns = o.ns;
		skel->rodata->targ_count = o.count;
		skel->rodata->targ_cpu = o.cpu;
	}
	err = bcct_run(&(struct bcct_run){
		BCCT_SKEL(skel),
		.ctx = skel,
		.banner = o.count ? "Tracing hard irq events... Hit Ctrl-C to end."
				  : "Tracing hard irq event time... Hit Ctrl-C to end.",
		.on_interval = print,
	});
	hardirqs_bpf__destroy(skel);
	return err;
}

static const struct bcct_probe probes[] = {
	PROBE("irq_handler_entry", "irq_handler_entry_btf", "irq_handler_entry_raw", "irq_handler_entry_tp"),
	PROBE("irq_handler_exit", "irq_handler_exit_btf", "irq_handler_exit_raw", "irq_handler_exit_tp"),
	PROBE_END,
};

BCCT_APPLET(hardirqs,
	.category = "scheduler/CPU",
	.summary = "Summarize hard irq event time as histograms",
	.examples =
	"    ./hardirqs            # sum hard irq event time\n"
	"    ./hardirqs -d         # show hard irq event time as histograms\n"
	"    ./hardirqs 1 10       # print 1 second summaries, 10 times\n"
	"    ./hardirqs -NT 1      # 1s summaries, nanoseconds, and timestamps\n"
	"    ./hardirqs -c 1       # sum hard irq event time on CPU 1 only\n",
	.opts = opts,
	.probes = probes,
	.bpf_elf = hardirqs_bpf__elf_bytes,
	.run = run);

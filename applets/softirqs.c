/* softirqs: summarize soft IRQ (interrupt) event time, per vector. */
#include <stdio.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "softirqs.skel.h"
#include "softirqs.h"

static struct {
	bool ns, events, dist;
	long cpu;
} o = { .cpu = -1 };

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('N', "nanoseconds", &o.ns, "output in nanoseconds"),
	OPT_FLAG_('C', "events", &o.events, "show the number of soft irq events"),
	OPT_FLAG_('d', "dist", &o.dist, "show distributions as histograms"),
	OPT_INT_('c', "cpu", &o.cpu, "CPU", "trace this CPU only", 0, INT_MAX),
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

/* softirq_to_name[] in kernel/softirq.c */
static const char *const vec_names[SOFTIRQS_NR_VECS] = {
	"hi", "timer", "net_tx", "net_rx", "block", "irq_poll", "tasklet", "sched", "hrtimer", "rcu",
};

static const char *unit(void)
{
	return o.events ? "count" : o.ns ? "nsecs" : "usecs";
}

static void vec_label(const void *key, char *buf, size_t len)
{
	unsigned int vec = *(const unsigned int *)key;

	snprintf(buf, len, "%s", vec < SOFTIRQS_NR_VECS ? vec_names[vec] : "?");
}

/* bcct_map_collect's layout for a u32 key: the key padded to 8 bytes, then the value. */
struct entry {
	unsigned int vec;
	unsigned long long total __attribute__((aligned(8)));
};

/* BCC sorts the totals ascending. */
static int by_total(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? -1 : 1;
	return x->vec < y->vec ? -1 : x->vec > y->vec;
}

static int print_totals(struct bpf_map *map)
{
	unsigned long long div = o.events || o.ns ? 1 : 1000;
	struct bcct_entries e;
	char key[32], column[32];

	if (bcct_map_collect(map, &e) < 0)
		return -1;
	bcct_entries_sort(&e, by_total);
	snprintf(key, sizeof(key), "total_%s", unit());
	snprintf(column, sizeof(column), "TOTAL_%s", unit());
	out_header("%-16s %11s", "SOFTIRQ", column);
	for (size_t i = 0; i < e.n; i++) {
		const struct entry *row = bcct_entry_key(&e, i);
		char name[16];

		vec_label(&row->vec, name, sizeof(name));
		out_begin();
		if (env.json)
			out_time("ts");
		out_str("softirq", "%-16s", name);
		out_uint(key, "%11llu", row->total / div);
		out_end();
	}
	bcct_entries_free(&e);
	return bcct_map_clear(map);
}

static int print(void *ctx, bool final)
{
	struct softirqs_bpf *skel = ctx;
	char ts[16];

	out_text("\n");
	if (env.timestamp)
		out_text("%-8s\n", bcct_time_str(ts, sizeof(ts)));
	if (!o.dist)
		return print_totals(skel->maps.totals);
	return hist_print_map(skel->maps.dists, &(struct bcct_hist_print){
		.unit = unit(),
		.section = "softirq",
		.label = vec_label,
		.clear = true,
	});
}

static int run(void)
{
	struct softirqs_bpf *skel;
	int err;

	if (o.events && (o.dist || o.ns)) {
		bcct_usage_err("the --events option can't be used with time-based options");
		return BCCT_EXIT_USAGE;
	}
	if (o.cpu >= bcct_ncpus()) {
		bcct_usage_err("invalid CPU %ld: CPUs are numbered 0 to %d", o.cpu, bcct_ncpus() - 1);
		return BCCT_EXIT_USAGE;
	}
	skel = softirqs_bpf__open();
	if (skel) {
		skel->rodata->targ_dist = o.dist;
		skel->rodata->targ_ns = o.ns;
		skel->rodata->targ_events = o.events;
		skel->rodata->targ_cpu = o.cpu;
	}
	err = bcct_run(&(struct bcct_run){
		BCCT_SKEL(skel),
		.ctx = skel,
		.banner = o.events ? "Tracing soft irq events... Hit Ctrl-C to end."
				   : "Tracing soft irq event time... Hit Ctrl-C to end.",
		.on_interval = print,
	});
	softirqs_bpf__destroy(skel);
	return err;
}

static const struct bcct_probe probes[] = {
	PROBE("softirq_entry", "softirq_entry_btf", "softirq_entry_raw", "softirq_entry_tp"),
	PROBE("softirq_exit", "softirq_exit_btf", "softirq_exit_raw", "softirq_exit_tp"),
	PROBE_END,
};

BCCT_APPLET(softirqs,
	.category = "scheduler/CPU",
	.summary = "Summarize soft irq event time as histograms",
	.examples =
	"    ./softirqs            # sum soft irq event time\n"
	"    ./softirqs -C         # show the number of soft irq events\n"
	"    ./softirqs -d         # show soft irq event time as histograms\n"
	"    ./softirqs 1 10       # print 1 second summaries, 10 times\n"
	"    ./softirqs -NT 1      # 1s summaries, nanoseconds, and timestamps\n"
	"    ./softirqs -c 1       # sum soft irq event time on CPU 1 only\n",
	.opts = opts,
	.probes = probes,
	.bpf_elf = softirqs_bpf__elf_bytes,
	.run = run);

/* runqlen: summarize scheduler run queue length as a histogram. */
#include <stdio.h>
#include <stdlib.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "runqlen.skel.h"

BCCT_SKELETON(runqlen_bpf);

static struct {
	bool occupancy, per_cpu;
	long freq;
} o = { .freq = 99 };

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('O', "runqocc", &o.occupancy, "report run queue occupancy"),
	OPT_FLAG_('C', "cpus", &o.per_cpu, "print output for each CPU separately"),
	OPT_INT_('f', "frequency", &o.freq, "FREQUENCY", "sample at this frequency (Hz), default 99",
		 1, 100000),
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	STD_EBPF,
	OPT_END_,
};

/* Samples per CPU: slot 0 is an empty queue, any other slot means work was waiting. */
struct occupancy {
	int ncpu, cpumax;
	unsigned long long *idle, *queued;
};

static int add_samples(void *ctx, const void *key, const void *value)
{
	struct occupancy *occ = ctx;
	const struct bcct_hist *h = value;
	unsigned int cpu = *(const unsigned int *)key;

	if ((int)cpu >= occ->ncpu)
		return 0;
	if ((int)cpu > occ->cpumax)
		occ->cpumax = cpu;
	occ->idle[cpu] += h->slots[0];
	for (int i = 1; i < BCCT_MAX_SLOTS; i++)
		occ->queued[cpu] += h->slots[i];
	return 0;
}

static double percent(unsigned long long queued, unsigned long long idle)
{
	return queued + idle ? 100.0 * queued / (queued + idle) : 0;
}

/* BCC: "runqocc: 41.09%", or with -C one "runqocc, CPU 3   100.00%" line per CPU. */
static int print_occupancy(struct bpf_map *map)
{
	struct occupancy occ = { .ncpu = bcct_ncpus() > 0 ? bcct_ncpus() : 1 };
	int err;

	occ.idle = calloc(occ.ncpu, sizeof(*occ.idle));
	occ.queued = calloc(occ.ncpu, sizeof(*occ.queued));
	err = occ.idle && occ.queued ? bcct_map_foreach(map, add_samples, &occ) : -1;
	for (int c = 0; !err && c <= (o.per_cpu ? occ.cpumax : 0); c++) {
		out_begin();
		if (o.per_cpu)
			out_int("cpu", "runqocc, CPU %-3lld", c);
		out_float(env.json ? "runqocc_pct" : "runqocc", o.per_cpu ? "%6.2f%%" : "runqocc: %0.2f%%",
			  percent(occ.queued[c], occ.idle[c]));
		out_end();
	}
	free(occ.idle);
	free(occ.queued);
	bcct_map_clear(map);
	return err;
}

static int print(void *ctx, bool final)
{
	struct runqlen_bpf *skel = ctx;
	char ts[16];

	out_text("\n");
	if (env.timestamp)
		out_text("%-8s\n", sys_time_of_day(ts, sizeof(ts)));
	if (o.occupancy)
		return print_occupancy(skel->maps.hists);
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "runqlen",
		.section = o.per_cpu ? "cpu" : NULL,
		.linear = true,
		.clear = true,
	});
}

static int configure(void *p)
{
	struct runqlen_bpf *skel = p;

	skel->rodata->per_cpu = o.per_cpu;
	/* One histogram (key 0), or one per CPU with -C. */
	return bcct_map_resize(skel, "hists", o.per_cpu ? bcct_ncpus() : 1);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Sampling run queue length... Hit Ctrl-C to end.",
		.on_interval = print,
		.sample_freq = o.freq,
	});
}

BCCT_APPLET(runqlen,
	.category = "scheduler/CPU",
	.summary = "Summarize scheduler run queue length as a histogram",
	.examples =
	"    runqlen            # summarize run queue length as a histogram\n"
	"    runqlen 1 10       # print 1 second summaries, 10 times\n"
	"    runqlen -T 1       # 1s summaries and timestamps\n"
	"    runqlen -O         # report run queue occupancy\n"
	"    runqlen -C         # show each CPU separately\n"
	"    runqlen -f 199     # sample at 199HZ\n",
	.opts = opts,
	.skeleton = &runqlen_bpf__skeleton,
	.run = run);

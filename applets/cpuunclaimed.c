/* cpuunclaimed: sample every CPU's run queue at the same instants and report how much idle
 * CPU could have run work queued elsewhere, as BCC's cpuunclaimed (text summaries, or -j/-J
 * CSV of each sample group). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "cpuunclaimed.skel.h"
#include "cpuunclaimed.h"

BCCT_SKELETON(cpuunclaimed_bpf);

#define SAMPLE_HZ 99                                  /* BCC's frequency */
/* A gap this long after a group's first sample starts the next group (BCC's trigger). */
#define TRIGGER_NS ((unsigned long long)(0.8 * (1000000000.0 / SAMPLE_HZ)))
#define MAX_CPUS 1024

static struct {
	bool csv, fullcsv;
	int ncpu;
	/* The open group: one sample tick across the CPUs. */
	unsigned long long g_first, g_last;
	unsigned long long lens[MAX_CPUS], ts[MAX_CPUS];
	bool seen[MAX_CPUS];
	int g_samples;
	/* Summed over the groups closed in this interval. */
	unsigned long long positive, running, idle;
	unsigned long long groups, skewed;   /* over the run */
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('j', "csv", &o.csv, "print sample summaries (verbose) as comma-separated values"),
	OPT_FLAG_('J', "fullcsv", &o.fullcsv, "print sample summaries with extra fields: CPU sample offsets"),
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	STD_EBPF,
	OPT_END_,
};

static void print_csv_header(void *ctx)
{
	(void)ctx;
	if (!o.csv)
		return;
	if (env.timestamp)
		out_text("TIME,");
	out_text("TIMESTAMP_ns,");
	for (int c = 0; c < o.ncpu; c++)
		out_text("%sCPU%d", c ? "," : "", c);
	for (int c = 0; o.fullcsv && c < o.ncpu; c++)
		out_text(",OFFSET_ns_CPU%d", c);
	out_text("\n");
}

static void print_csv_group(void)
{
	char ts[16];

	if (env.timestamp)
		out_text("%-8s,", sys_time_of_day(ts, sizeof(ts)));
	out_text("%llu,", o.g_first);
	for (int c = 0; c < o.ncpu; c++)
		out_text("%s%llu", c ? "," : "", o.seen[c] ? o.lens[c] : 0);
	for (int c = 0; o.fullcsv && c < o.ncpu; c++)
		out_text(",%llu", o.seen[c] ? o.ts[c] - o.g_first : 0);
	out_text("\n");
}

/* BCC's arithmetic per group: CPUs running something, CPUs idle, and the queued tasks an idle
 * CPU could have taken (the smaller of the two). */
static void count_group(void)
{
	unsigned long long g_running = 0, g_queued = 0, g_idle;

	for (int c = 0; c < o.ncpu; c++) {
		if (!o.seen[c])
			continue;
		if (o.lens[c] > 0)
			g_running++;
		if (o.lens[c] > 1)
			g_queued += o.lens[c] - 1;
	}
	g_idle = o.ncpu - g_running;
	if (g_idle > 0 && g_queued > 0)
		o.positive += g_queued > g_idle ? g_idle : g_queued;
	o.running += g_running;
	o.idle += g_idle;
}

/* BCC's sanity test: the samples of one tick spread over half the trigger mean a CPU's sample
 * came late (a CPU powered down when idle, or a virtual CPU its host did not run), so the group
 * does not show one instant. BCC exits at the first such group (its TODO: tolerate a sampling
 * error); here the group is left out of the summaries, and the run ends by saying how many. */
static void close_group(void)
{
	bool skewed = o.g_last - o.g_first > TRIGGER_NS / 2;

	o.groups++;
	o.skewed += skewed;
	if (o.csv)
		print_csv_group();
	else if (!skewed)
		count_group();
	memset(o.seen, 0, sizeof(o.seen));
	o.g_samples = 0;
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct cpuunclaimed_event *e = data;

	(void)ctx;
	if (size < sizeof(*e) || e->cpu >= (unsigned long long)o.ncpu)
		return 0;
	if (o.g_samples && e->ts > o.g_first + TRIGGER_NS)
		close_group();
	if (o.g_samples && e->ts + TRIGGER_NS / 2 < o.g_first)
		return 0;   /* a sample of a group already closed, arriving late: not regrouped */
	if (!o.g_samples || e->ts < o.g_first)
		o.g_first = e->ts;
	if (!o.g_samples || e->ts > o.g_last)
		o.g_last = e->ts;
	o.lens[e->cpu] = e->len;
	o.ts[e->cpu] = e->ts;
	o.seen[e->cpu] = true;
	o.g_samples++;
	return 0;
}

static int print(void *ctx, bool final)
{
	unsigned long long total = o.running + o.idle;

	(void)ctx;
	if (final && o.skewed)
		bcct_warn("%llu of %llu sample groups spread over more than %llu ns (CPU samples at skewed "
			  "offsets: see -J) and were left out", o.skewed, o.groups, TRIGGER_NS / 2);
	if (o.csv)
		return 0;
	out_begin_members();
	if (env.timestamp)
		out_time("time");
	out_float("cpu_pct", "%%CPU %6.2f%%,", total ? 100.0 * o.running / total : 0);
	out_float("unclaimed_idle_pct", "unclaimed idle %0.2f%%", total ? 100.0 * o.positive / total : 0);
	out_end();
	o.positive = o.running = o.idle = 0;
	(void)final;
	return 0;
}

static int run(void)
{
	static char banner[96];
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (o.fullcsv)
		o.csv = true;
	if (o.csv && env.interval) {
		bcct_usage_err("cannot use interval with either -j or -J");
		return BCCT_EXIT_USAGE;
	}
	if (o.csv && env.json) {
		bcct_usage_err("-j and -J print CSV, --json the summaries: choose one");
		return BCCT_EXIT_USAGE;
	}
	o.ncpu = n < 1 ? 1 : n > MAX_CPUS ? MAX_CPUS : (int)n;
	snprintf(banner, sizeof(banner),
		 "Sampling run queues... Output every %ld seconds. Hit Ctrl-C to end.",
		 env.interval ? env.interval : 1);
	return bcct_run(&(struct bcct_run){
		.banner = o.csv ? NULL : banner,
		.on_start = print_csv_header,
		.on_event = on_event,
		.on_interval = print,
		.interval = o.csv ? 0 : env.interval ? env.interval : 1,
		.sample_freq = SAMPLE_HZ,
	});
}

BCCT_APPLET(cpuunclaimed,
	.category = "scheduler/CPU",
	.summary = "Sample CPU run queues and calculate unclaimed idle CPU",
	.description =
	"Samples every CPU's run queue at 99 Hz, at the same instants, and prints the CPU\n"
	"utilization and the share of CPU time left idle while other CPUs had tasks waiting.",
	.examples =
	"    cpuunclaimed            # sample and calculate unclaimed idle CPUs,\n"
	"                            # output every 1 second (default)\n"
	"    cpuunclaimed 5 10       # print 5 second summaries, 10 times\n"
	"    cpuunclaimed -T 1       # 1s summaries and timestamps\n"
	"    cpuunclaimed -j         # raw dump of all samples (verbose), CSV\n",
	.opts = opts,
	.skeleton = &cpuunclaimed_bpf__skeleton,
	.run = run);

/* biolatpcts: latency percentiles of one block device per interval, as BCC's biolatpcts: the
 * same options, slots and percentile search, its text table and its -j line; SIGUSR1 reports
 * and starts a new period, SIGUSR2 reports without one. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/blk.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "biolatpcts.skel.h"
#include "biolatpcts.h"

BCCT_SKELETON(biolatpcts_bpf);

#define PCTS_DEFAULT "1,5,10,16,25,50,75,84,90,95,99,100"

static const char *const op_names[BIOLATPCTS_OPS] = { "read", "write", "discard", "flush" };
static const char *const from_names[] = {
	[BIOLATPCTS_ON_DEVICE] = "on-device",
	[BIOLATPCTS_AFTER_ALLOC] = "after-rq-alloc",
	[BIOLATPCTS_FROM_ALLOC] = "from-rq-alloc",
};

static struct {
	const char *dev;
	unsigned int devt;
	long interval;
	int from;
	struct bcct_list pcts;          /* as given, then sorted by value */
	double pct[BCCT_LIST_MAX];
	bool bcc_json;                  /* -j */
	struct biolatpcts_bpf *skel;
	unsigned long long last[BIOLATPCTS_COUNTERS];   /* the counters at the period's start */
} o = { .interval = 3 };

static int parse_which(const char *arg, void *dest)
{
	for (size_t i = 0; i < sizeof(from_names) / sizeof(from_names[0]); i++)
		if (!strcmp(arg, from_names[i])) {
			*(int *)dest = i;
			return 0;
		}
	bcct_usage_err("argument -w/--which: invalid choice: '%s' (choose from 'from-rq-alloc', "
		       "'after-rq-alloc', 'on-device')", arg);
	return -1;
}

static const struct bcct_opt opts[] = {
	OPT_INT_('i', "interval", &o.interval, "INTERVAL",
		 "Report interval (0: exit after startup, -1: infinite) (default: 3)", -1, INT_MAX),
	OPT_FUNC_('w', "which", &o.from, "{from-rq-alloc,after-rq-alloc,on-device}",
		  "Which latency to measure (default: on-device)", parse_which),
	OPT_LIST_('p', "pcts", &o.pcts, "PCT,...",
		  "Percentiles to calculate (default: " PCTS_DEFAULT ")"),
	OPT_FLAG_('j', NULL, &o.bcc_json, "Output in json (BCC's layout)"),
	STD_JSON,
	STD_VERBOSE,
	POS_STR_("DEV", &o.dev, "Target block device (/dev/DEVNAME, DEVNAME or MAJ:MIN)"),
	OPT_END_,
};

/* ---- BCC's percentile search --------------------------------------------------------- */

/* Microseconds per slot of each granularity (bpf/biolatpcts.h). */
static const double gran_us[BIOLATPCTS_GRANS] = { 100000, 1000, 10 };

/* From slot *idx down, adds slots to *counted until the share counted reaches 100 - req. */
static void find_pct(double req, unsigned long long total, const unsigned long long *slots,
		     int *idx, unsigned long long *counted)
{
	while (*idx > 0) {
		(*idx)--;
		if (slots[*idx] > 0) {
			*counted += slots[*idx];
			if ((double)*counted / total * 100 >= 100 - req)
				break;
		}
	}
}

/* The latency (us, the middle of its slot) of each percentile, from the highest down, moving
 * to a finer granularity when a percentile falls in the first slot of a coarser one. */
static void percentiles(const unsigned long long *const slots[BIOLATPCTS_GRANS],
			unsigned long long total, double *lat)
{
	unsigned long long counted = 0;
	int sel = 0, idx = BIOLATPCTS_SLOTS;

	for (int p = o.pcts.n - 1; p >= 0; p--) {
		lat[p] = 0;
		if (!total)
			continue;
		for (;;) {
			unsigned long long before = counted;

			find_pct(o.pct[p], total, slots[sel], &idx, &counted);
			if (idx > 0 || sel == BIOLATPCTS_GRANS - 1)
				break;
			counted = before;
			sel++;
			idx = BIOLATPCTS_SLOTS;
		}
		lat[p] = gran_us[sel] * idx + gran_us[sel] / 2;
	}
}

static const char *format_usec(char *buf, size_t len, double lat)
{
	if (lat > 1000000)
		snprintf(buf, len, "%.1fs", lat / 1000000);
	else if (lat > 10000)
		snprintf(buf, len, "%.0fms", lat / 1000);
	else if (lat > 1000)
		snprintf(buf, len, "%.1fms", lat / 1000);
	else if (lat > 0)
		snprintf(buf, len, "%.0fus", lat);
	else
		snprintf(buf, len, "-");
	return buf;
}

/* ---- printing -------------------------------------------------------------------------- */

static void print_text(double lat[][BCCT_LIST_MAX])
{
	const char *base = strrchr(o.dev, '/') ? strrchr(o.dev, '/') + 1 : o.dev;
	char buf[32];

	printf("\n%-7s", base);
	for (int p = 0; p < o.pcts.n; p++)
		printf(" %5s", o.pcts.v[p]);
	printf("\n");
	for (int op = 0; op < BIOLATPCTS_OPS; op++) {
		printf("%-7s", op_names[op]);
		for (int p = 0; p < o.pcts.n; p++) {
			int w = strlen(o.pcts.v[p]) > 5 ? (int)strlen(o.pcts.v[p]) : 5;

			printf(" %*s", w, format_usec(buf, sizeof(buf), lat[op][p]));
		}
		printf("\n");
	}
}

/* BCC's -j: json.dumps of {type: {pct: seconds}}, one line. */
static void print_bcc_json(double lat[][BCCT_LIST_MAX])
{
	char buf[64];

	printf("{");
	for (int op = 0; op < BIOLATPCTS_OPS; op++) {
		printf("%s\"%s\": {", op ? ", " : "", op_names[op]);
		for (int p = 0; p < o.pcts.n; p++) {
			printf("%s", p ? ", " : "");
			json_write_string(o.pcts.v[p]);
			printf(": %s", out_python_float(buf, sizeof(buf), lat[op][p] / 1000000));
		}
		printf("}");
	}
	printf("}\n");
}

static void print_json(double lat[][BCCT_LIST_MAX], const unsigned long long *total)
{
	out_list("rows");
	for (int op = 0; op < BIOLATPCTS_OPS; op++)
		for (int p = 0; p < o.pcts.n; p++) {
			out_begin();
			out_str("type", "%s", op_names[op]);
			out_float("pct", "%f", o.pct[p]);
			out_float("lat_us", "%f", lat[op][p]);
			out_uint("ios", "%llu", total[op]);
			out_end();
		}
}

static int report(void *ctx, bool final)
{
	static unsigned long long now[BIOLATPCTS_COUNTERS], delta[BIOLATPCTS_COUNTERS];
	static double lat[BIOLATPCTS_OPS][BCCT_LIST_MAX];
	unsigned long long total[BIOLATPCTS_OPS] = { 0 };
	/* A timed interval and SIGUSR1 start a new period; SIGUSR2 and -i -1's reports do not. */
	bool new_period = (o.interval > 0 && !bcct_report_signal()) || bcct_report_signal() == SIGUSR1;

	(void)ctx;
	(void)final;
	if (o.interval == 0) {          /* exit after startup: nothing to report */
		out_interval_skip();
		return 0;
	}
	if (bcct_counters_read(o.skel->maps.counts, now, BIOLATPCTS_COUNTERS) < 0)
		return -1;
	for (int i = 0; i < BIOLATPCTS_COUNTERS; i++) {
		delta[i] = now[i] > o.last[i] ? now[i] - o.last[i] : 0;
		if (new_period)
			o.last[i] = now[i];
	}
	for (int op = 0; op < BIOLATPCTS_OPS; op++) {
		const unsigned long long *slots[BIOLATPCTS_GRANS];

		for (int g = 0; g < BIOLATPCTS_GRANS; g++)
			slots[g] = delta + (g * BIOLATPCTS_OPS + op) * BIOLATPCTS_SLOTS;
		for (int s = 0; s < BIOLATPCTS_SLOTS; s++)
			total[op] += slots[0][s];
		percentiles(slots, total[op], lat[op]);
	}
	if (env.json)
		print_json(lat, total);
	else if (o.bcc_json)
		print_bcc_json(lat);
	else
		print_text(lat);
	return 0;
}

static void started(void *ctx)
{
	if (o.interval == 0) {          /* BCC: -i 0 exits once set up */
		bcct_stop();
		return;
	}
	if (o.interval < 0) {           /* BCC: an infinite interval reports once, to show readiness */
		out_interval_open();
		report(ctx, false);
		out_interval_close();
	}
}

static int configure(void *p)
{
	struct biolatpcts_bpf *skel = p;

	o.skel = skel;
	skel->rodata->filter_dev = true;
	skel->rodata->targ_dev = o.devt;
	skel->rodata->from = o.from;
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = strtod(*(const char *const *)a, NULL), y = strtod(*(const char *const *)b, NULL);

	return x < y ? -1 : x > y;
}

static int run(void)
{
	unsigned int maj, min;
	char end;

	if (!o.dev) {
		bcct_usage_err("the following arguments are required: DEV");
		return BCCT_EXIT_USAGE;
	}
	if (sscanf(o.dev, "%u:%u%c", &maj, &min, &end) == 2)
		o.devt = maj << BLK_DEVT_MINOR_BITS | min;
	else if (!blk_disk_option(o.dev, &o.devt))
		return BCCT_EXIT_USAGE;
	if (!o.pcts.n) {
		static char defaults[] = PCTS_DEFAULT;
		char *save = NULL;

		/* strtok_r: bcct serve parses applets' options in several threads at once */
		for (char *s = strtok_r(defaults, ",", &save); s && o.pcts.n < BCCT_LIST_MAX;
		     s = strtok_r(NULL, ",", &save))
			o.pcts.v[o.pcts.n++] = s;
	}
	for (int p = 0; p < o.pcts.n; p++) {
		char *e;

		strtod(o.pcts.v[p], &e);
		if (e == o.pcts.v[p] || *e) {
			bcct_usage_err("could not convert string to float: '%s'", o.pcts.v[p]);
			return BCCT_EXIT_USAGE;
		}
	}
	/* Stable: Python's sort keeps equal values in order; insertion sort does too. */
	for (int i = 1; i < o.pcts.n; i++)
		for (int j = i; j > 0 && by_value(&o.pcts.v[j - 1], &o.pcts.v[j]) > 0; j--) {
			const char *t = o.pcts.v[j];

			o.pcts.v[j] = o.pcts.v[j - 1];
			o.pcts.v[j - 1] = t;
		}
	for (int p = 0; p < o.pcts.n; p++)
		o.pct[p] = strtod(o.pcts.v[p], NULL);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = started,
		.on_interval = report,
		.interval = o.interval > 0 ? o.interval : 0,
		.report_on_sigusr = true,
	});
}

BCCT_APPLET(biolatpcts,
	.category = "block I/O",
	.summary = "Monitor IO latency distribution of a block device",
	.description =
	"Latency percentiles of one disk's reads, writes, discards and flushes, every interval.\n"
	"With -i -1 it reports once when ready, then on SIGUSR1 (which starts a new period) and\n"
	"SIGUSR2 (which does not), and before exiting on SIGINT, SIGTERM or SIGHUP.\n"
	"Needs raw_tp or tp_btf: the latency is a field of the kernel's request.",
	.examples =
	"    biolatpcts sda                  # percentiles of sda's I/O every 3 seconds\n"
	"    biolatpcts -i 1 -p 50,99,99.9 /dev/sda\n"
	"                                    # median, p99, p99.9 every second\n"
	"    biolatpcts -w after-rq-alloc 8:0  # latency from request allocation\n"
	"    biolatpcts -i -1 -j sda         # report on SIGUSR1/SIGUSR2 and exit, as JSON\n",
	.opts = opts,
	.skeleton = &biolatpcts_bpf__skeleton,
	.run = run);

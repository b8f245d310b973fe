/* dbstat: a histogram of MySQL and PostgreSQL query latency, as BCC's dbstat (USDT
 * query__start/query__done). */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/hist.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "dbstat.skel.h"

BCCT_SKELETON(dbstat_bpf);

static struct {
	const char *db;
	struct bcct_list pids;
	long threshold, interval;
	bool us;
	char shown[256];
} o = { .interval = 99999999 };

static const struct bcct_opt opts[] = {
	POS_STR_("db", &o.db, "the database engine to use: mysql, postgres"),
	OPT_LIST_('p', "pid", &o.pids, "PID", "the pid(s) to trace (comma-separated or repeated)"),
	OPT_INT_('m', "threshold", &o.threshold, "THRESHOLD", "trace queries slower than this threshold (ms)", 0, INT_MAX),
	OPT_FLAG_('u', "microseconds", &o.us, "display query latencies in microseconds (default: milliseconds)"),
	OPT_INT_('i', "interval", &o.interval, "INTERVAL", "print summary at this interval (seconds)", 1, INT_MAX),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static void header(void *ctx)
{
	out_text("Tracing database queries for pids %s slower than %ld ms...\n", o.shown, o.threshold);
}

static int print(void *ctx, bool final)
{
	struct dbstat_bpf *skel = ctx;
	char ts[16];
	int err;

	out_text("[%s]\n", sys_time_of_day(ts, sizeof(ts)));
	err = hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = o.us ? "query latency (us)" : "query latency (ms)",
		.clear = true,
	});
	out_text("\n");
	return err;
}

static int configure(void *p)
{
	struct dbstat_bpf *skel = p;

	skel->rodata->threshold_ns = (unsigned long long)o.threshold * 1000000;
	skel->rodata->microseconds = o.us;
	return 0;
}

static int attach(void *ctx)
{
	struct dbstat_bpf *skel = ctx;

	return rt_db_attach(o.db, &o.pids, NULL, skel->progs.query_start_usdt,
			    skel->progs.query_done_usdt, o.shown, sizeof(o.shown));
}

static int run(void)
{
	if (rt_db_check(o.db))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_interval = print,
		.interval = o.interval,
	});
}

BCCT_APPLET(dbstat,
	.category = "library",
	.summary = "Summarize MySQL and PostgreSQL query latency as a histogram",
	.examples =
	"    dbstat postgres     # display a histogram of PostgreSQL query latencies\n"
	"    dbstat mysql -v     # display MySQL latencies and print the BPF program\n"
	"    dbstat mysql -u     # display query latencies in microseconds (default: ms)\n"
	"    dbstat mysql -m 5   # trace only queries slower than 5ms\n"
	"    dbstat mysql -p 408 # trace queries in a specific process\n",
	.opts = opts,
	.skeleton = &dbstat_bpf__skeleton,
	.run = run);

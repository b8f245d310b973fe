/* dbslower: MySQL and PostgreSQL queries slower than a threshold, as BCC's dbslower (USDT
 * query__start/query__done; BCC's uprobe mode for MySQL builds without USDT is not here). */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "dbslower.skel.h"
#include "dbslower.h"

BCCT_SKELETON(dbslower_bpf);

static struct {
	const char *db, *path;
	struct bcct_list pids;
	long threshold;
	unsigned long long start_ns;
	char shown[256];
} o = { .threshold = 1 };

static const struct bcct_opt opts[] = {
	POS_STR_("db", &o.db, "the database engine to use: mysql, postgres"),
	OPT_LIST_('p', "pid", &o.pids, "PID", "the pid(s) to trace (comma-separated or repeated)"),
	OPT_STR_('x', "exe", &o.path, "PATH", "path to binary"),
	OPT_INT_('m', "threshold", &o.threshold, "THRESHOLD", "trace queries slower than this threshold (ms)", 0, INT_MAX),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static void header(void *ctx)
{
	if (o.path && !o.pids.n)
		out_text("Tracing database queries for application %s slower than %ld ms...\n", o.path,
			 o.threshold);
	else
		out_text("Tracing database queries for pids %s slower than %ld ms...\n", o.shown,
			 o.threshold);
	out_header("%-14s %-7s %8s %s", "TIME(s)", "PID", "MS", "QUERY");
	o.start_ns = bcct_now_ns();
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct dbslower_event *e = data;
	char query[DBSLOWER_QUERY_LEN + 1];

	if (size < sizeof(*e))
		return 0;
	snprintf(query, sizeof(query), "%.*s", DBSLOWER_QUERY_LEN, e->query);
	out_event_time(e->start_ts + e->duration_ns);
	out_begin();
	/* BCC: the query's start, in seconds since the tool started */
	out_float("time_s", "%-14.6f", e->start_ts > o.start_ns ? (e->start_ts - o.start_ns) / 1e9 : 0);
	out_int("pid", "%-7lld", e->pid);
	if (env.json)
		out_uint("lat_ns", "", e->duration_ns);
	else
		out_float("lat_ms", "%8.3f", e->duration_ns / 1e6);
	out_str("query", "%s", query);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct dbslower_bpf *skel = p;

	skel->rodata->threshold_ns = (unsigned long long)o.threshold * 1000000;
	return 0;
}

static int attach(void *ctx)
{
	struct dbslower_bpf *skel = ctx;

	return rt_db_attach(o.db, &o.pids, o.path, skel->progs.query_start_usdt,
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
		.on_event = on_event,
	});
}

BCCT_APPLET(dbslower,
	.category = "library",
	.summary = "Trace MySQL and PostgreSQL queries slower than a threshold",
	.examples =
	"    dbslower postgres            # trace PostgreSQL queries slower than 1ms\n"
	"    dbslower postgres -p 188,322 # trace specific PostgreSQL processes\n"
	"    dbslower mysql -p 480 -m 30  # trace MySQL queries slower than 30ms\n"
	"    dbslower mysql -x /usr/sbin/mysqld  # trace MySQL queries in this binary\n",
	.opts = opts,
	.skeleton = &dbslower_bpf__skeleton,
	.run = run);

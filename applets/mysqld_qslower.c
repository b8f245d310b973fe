/* mysqld_qslower: MySQL server queries slower than a threshold, as BCC's mysqld_qslower (USDT
 * mysql:query__start/query__done of one mysqld, the query text read at done). dbslower's
 * object with BCC's other front end: a PID and a threshold in ms (a float), times since the
 * first query shown, query text cut at BCC's 128 bytes. */
#include <stdio.h>
#include <stdlib.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "dbslower.skel.h"
#include "dbslower.h"

BCCT_SKELETON(dbslower_bpf);

#define MYSQLD_QSLOWER_QUERY_MAX 128    /* BCC's QUERY_MAX */

static struct {
	const char *pid, *min_ms;
	double threshold_ms;
	unsigned long long first_ts;
} o = { .threshold_ms = 1 };

static const struct bcct_opt opts[] = {
	POS_STR_("PID", &o.pid, "the mysqld process to trace"),
	POS_STR_("min_ms", &o.min_ms, "trace queries slower than this many ms (default 1; 0: all)"),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static void header(void *ctx)
{
	out_text("Tracing MySQL server queries for PID %s slower than %s ms...\n", o.pid,
		 o.min_ms ? o.min_ms : "1");
	out_header("%-14s %-7s %8s %s", "TIME(s)", "PID", "MS", "QUERY");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct dbslower_event *e = data;
	char query[MYSQLD_QSLOWER_QUERY_MAX + 1];

	if (size < sizeof(*e))
		return 0;
	/* BCC: seconds since the first query printed began */
	if (!o.first_ts)
		o.first_ts = e->start_ts;
	out_event_time(e->start_ts + e->duration_ns);
	out_begin();
	out_float("time_s", "%-14.6f", (e->start_ts - o.first_ts) / 1e9);
	out_int("pid", "%-7lld", e->pid);
	if (env.json)
		out_uint("lat_ns", "", e->duration_ns);
	else
		out_float("lat_ms", "%8.3f", e->duration_ns / 1e6);
	snprintf(query, sizeof(query), "%.*s", MYSQLD_QSLOWER_QUERY_MAX, e->query);
	out_str("query", "%s", query);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct dbslower_bpf *skel = p;

	skel->rodata->threshold_ns = (unsigned long long)(o.threshold_ms * 1e6);
	return 0;
}

static int attach(void *ctx)
{
	struct dbslower_bpf *skel = ctx;

	return rt_mysqld_attach(o.pid, "query", skel->progs.query_start_usdt,
				skel->progs.query_done_usdt);
}

static int run(void)
{
	char *end;

	if (!o.pid) {
		bcct_usage_err("the following arguments are required: PID");
		return BCCT_EXIT_USAGE;
	}
	if (o.min_ms) {
		o.threshold_ms = strtod(o.min_ms, &end);
		if (end == o.min_ms || *end || !(o.threshold_ms >= 0) || o.threshold_ms > 1e9) {
			bcct_usage_err("min_ms: not a number of milliseconds: '%s'", o.min_ms);
			return BCCT_EXIT_USAGE;
		}
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = on_event,
	});
}

BCCT_APPLET(mysqld_qslower,
	.category = "library",
	.summary = "MySQL server queries slower than a threshold (USDT query__start/done)",
	.examples =
	"    mysqld_qslower $(pgrep -n mysqld)       # queries slower than 1 ms\n"
	"    mysqld_qslower $(pgrep -n mysqld) 10    # queries slower than 10 ms\n"
	"    mysqld_qslower $(pgrep -n mysqld) 0     # every query\n",
	.opts = opts,
	.skeleton = &dbslower_bpf__skeleton,
	.run = run);

/* core/metrics: applets' JSON intervals into cumulative Prometheus series (bcct serve), and the
 * stack export tables of core/stackprof: histograms as cumulative le buckets summed over
 * intervals, rows as labelled counters with key integers as labels, the "other" series past
 * --max-series, OpenMetrics' counter naming and # EOF, malformed lines counted, -v lines. */
#include "check.h"
#include "core/metrics.h"

static bool has(const char *text, const char *line)
{
	return strstr(text, line) != NULL;
}

static void histograms(void)
{
	struct metrics *m = metrics_new(10);
	size_t len;
	char *t;

	metrics_add_applet(m, "runqlat");
	metrics_ingest(m, "runqlat", "{\"ts\":\"x\",\"ts_ns\":1,\"hists\":[{\"unit\":\"usecs\",\"buckets\":["
		       "{\"low\":0,\"high\":1,\"count\":2},{\"low\":4,\"high\":7,\"count\":3}]}]}");
	metrics_ingest(m, "runqlat", "{\"ts\":\"x\",\"ts_ns\":2,\"hists\":[{\"unit\":\"usecs\",\"buckets\":["
		       "{\"low\":2,\"high\":3,\"count\":5}]}]}");
	t = metrics_render(m, false, &len);
	CHECK(t && len == strlen(t), "render");
	CHECK(has(t, "# TYPE bcct_runqlat_usecs histogram\n"), "type line:\n%s", t);
	CHECK(has(t, "bcct_runqlat_usecs_bucket{le=\"1\"} 2\n"), "le=1:\n%s", t);
	CHECK(has(t, "bcct_runqlat_usecs_bucket{le=\"3\"} 7\n"), "le=3 cumulative over intervals:\n%s", t);
	CHECK(has(t, "bcct_runqlat_usecs_bucket{le=\"7\"} 10\n"), "le=7:\n%s", t);
	CHECK(has(t, "bcct_runqlat_usecs_bucket{le=\"+Inf\"} 10\n"), "+Inf:\n%s", t);
	CHECK(has(t, "bcct_runqlat_usecs_count 10\n"), "count:\n%s", t);
	/* midpoints: 2 x 0.5 + 3 x 5.5 + 5 x 2.5 */
	CHECK(has(t, "bcct_runqlat_usecs_sum 30\n"), "sum from midpoints:\n%s", t);
	CHECK(has(t, "bcct_serve_applet_up{applet=\"runqlat\"} 1\n"), "health:\n%s", t);
	free(t);
	metrics_free(m);
}

static void rows_and_bound(void)
{
	struct metrics *m = metrics_new(3);
	char line[256];
	size_t len;
	char *t;

	for (int pid = 1; pid <= 5; pid++) {
		snprintf(line, sizeof(line), "{\"ts\":\"x\",\"rows\":[{\"pid\":%d,\"comm\":\"c\\\"%d\",\"count\":%d}]}",
			 pid, pid, pid * 10);
		metrics_ingest(m, "syscount", line);
	}
	metrics_ingest(m, "syscount", "{\"rows\":[{\"pid\":5,\"comm\":\"c\\\"5\",\"count\":1}]}");
	metrics_ingest(m, "syscount", "not json");
	t = metrics_render(m, false, &len);
	CHECK(has(t, "# TYPE bcct_syscount_count_total counter\n"), "0.0.4 counter family with _total:\n%s", t);
	CHECK(has(t, "bcct_syscount_count_total{pid=\"5\",comm=\"c\\\"5\"} 51\n"), "summed, escaped:\n%s", t);
	CHECK(has(t, "bcct_syscount_count_total{pid=\"4\",comm=\"c\\\"4\"} 40\n"), "second:\n%s", t);
	CHECK(!has(t, "pid=\"3\""), "third is past the bound of 3 (2 + other):\n%s", t);
	CHECK(has(t, "bcct_syscount_count_total{pid=\"other\",comm=\"other\"} 60\n"), "other = 30+20+10:\n%s", t);
	CHECK(!has(t, "bcct_syscount_pid"), "pid is a label, not a value:\n%s", t);
	CHECK(has(t, "bcct_serve_bad_lines_total{applet=\"syscount\"} 1\n"), "bad line counted:\n%s", t);
	free(t);
	t = metrics_render(m, true, &len);
	CHECK(has(t, "# TYPE bcct_syscount_count counter\n"), "OpenMetrics family without _total:\n%s", t);
	CHECK(len > 6 && !strcmp(t + len - 6, "# EOF\n"), "OpenMetrics ends with # EOF");
	free(t);
	metrics_free(m);
}

static void logs(void)
{
	struct metrics *m = metrics_new(10);
	size_t len;
	char *t;

	CHECK(metrics_ingest_log(m, "runqlat", "runqlat: probe sched_switch: raw_tp"), "probe line hidden");
	metrics_ingest_log(m, "runqlat", "runqlat: probe sys_enter: not needed");
	CHECK(metrics_ingest_log(m, "runqlat", "runqlat: attached 3 links"), "links line hidden");
	CHECK(!metrics_ingest_log(m, "runqlat", "runqlat: warning: lost 7 events (buffer full)"), "lost shown");
	t = metrics_render(m, false, &len);
	CHECK(has(t, "bcct_attach_method{applet=\"runqlat\",probe=\"sched_switch\",method=\"raw_tp\"} 1\n"), "method:\n%s", t);
	CHECK(!has(t, "method=\"not\""), "no method 'not':\n%s", t);
	CHECK(has(t, "bcct_links_attached{applet=\"runqlat\"} 3\n"), "links:\n%s", t);
	CHECK(has(t, "bcct_lost_events_total{applet=\"runqlat\"} 7\n"), "lost:\n%s", t);
	free(t);
	metrics_free(m);
}

int main(int argc, char **argv)
{
	check_init(argc, argv);
	histograms();
	rows_and_bound();
	logs();
	return check_summary("metrics");
}

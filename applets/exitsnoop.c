/* exitsnoop: trace process termination (exit, fatal signal) with age and exit reason. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "exitsnoop.skel.h"
#include "exitsnoop.h"

BCCT_SKELETON(exitsnoop_bpf);

static struct {
	bool timestamp, utc, failed, per_thread;
	const char *label;       /* NULL: no LABEL column */
} o;

/* --label takes any string; an empty one means BCC's default label "exit". */
static int parse_label(const char *arg, void *dest)
{
	*(const char **)dest = *arg ? arg : "exit";
	return 0;
}

static const struct bcct_opt opts[] = {
	OPT_FLAG_('t', "timestamp", &o.timestamp, "include timestamp (local time default)"),
	OPT_FLAG_(0, "utc", &o.utc, "include timestamp in UTC (-t implied)"),
	STD_PID('p'),
	OPT_FUNC_(0, "label", &o.label, "LABEL", "label each line", parse_label),
	OPT_FLAG_('x', "failed", &o.failed, "trace only fails, exclude exit(0)"),
	OPT_FLAG_(0, "per-thread", &o.per_thread, "trace per thread termination"),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* Signal names as BCC prints them (Python's signal module without "SIG"). */
static const char *signame(int sig)
{
	const char *name = sys_signal_name(sig);

	return name ? name + 3 : "unknown";
}

static struct tm *now_tm(struct tm *tm, long *msec)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	*msec = ts.tv_nsec / 1000000;
	return o.utc ? gmtime_r(&ts.tv_sec, tm) : localtime_r(&ts.tv_sec, tm);
}

static void header(void *ctx)
{
	char title[32] = "TIME-UTC";
	struct tm tm;
	long ms;

	if (env.json)
		return;
	if (o.timestamp) {
		if (!o.utc && now_tm(&tm, &ms))
			strftime(title, sizeof(title), "TIME-%Z", &tm);
		printf("%-13s", title);
	}
	if (o.label)
		printf("%-6s", "LABEL");
	printf("%-16s %-7s %-7s %-7s %-7s %-10s\n", "PCOMM", "PID", "PPID", "TID", "AGE(s)", "EXIT_CODE");
}

/* "0", "code N", or "signal N (NAME)" with ", core dumped" when the core bit is set. */
static void exit_reason(int status, char *buf, size_t len)
{
	int code = (status >> 8) & 0xff, sig = status & 0x7f;

	if ((status & 0xff) == 0) {
		if (code)
			snprintf(buf, len, "code %d", code);
		else
			snprintf(buf, len, "0");
		return;
	}
	buf[0] = 0;
	if (sig)
		snprintf(buf, len, "signal %d (%s)", sig, signame(sig));
	if (status & 0x80)
		snprintf(buf + strlen(buf), len - strlen(buf), ", core dumped");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct exitsnoop_event *e = data;
	char reason[64], ts[32];
	struct tm tm;
	long ms;

	out_event_time(e->exit_time);
	out_begin();
	if (o.timestamp && !env.json && now_tm(&tm, &ms)) {   /* JSON has "ts" */
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		snprintf(ts + strlen(ts), sizeof(ts) - strlen(ts), ".%03ld", ms);
		out_str("timestamp", "%-12s", ts);
	}
	if (o.label)
		out_str("label", "%-5s", o.label);
	out_str("comm", "%-16s", e->comm);   /* TASK: the comm, keyed as in every applet */
	out_int("pid", "%-7lld", e->pid);
	out_int("ppid", "%-7lld", e->ppid);
	out_int("tid", "%-7lld", e->tid);
	out_float("age_s", "%-7.2f", (double)(e->exit_time - e->start_time) / 1e9);
	if (env.json) {
		/* BCC's JSON carries the raw parts rather than the text. */
		out_int("exit_code", "%lld", (e->exit_code >> 8) & 0xff);
		out_int("sig_info", "%lld", e->exit_code & 0xff);
	} else {
		exit_reason(e->exit_code, reason, sizeof(reason));
		out_str("exit_code", "%s", reason);
	}
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct exitsnoop_bpf *skel = p;

	skel->rodata->per_thread = o.per_thread;
	skel->rodata->failed_only = o.failed;
	return 0;
}

static int run(void)
{
	if (o.utc)
		o.timestamp = true;
	tzset();
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(exitsnoop,
	.category = "process",
	.summary = "Trace all process termination (exit, fatal signal)",
	.examples =
	"    exitsnoop                # trace all process termination\n"
	"    exitsnoop -x             # trace only fails, exclude exit(0)\n"
	"    exitsnoop -t             # include timestamps (local time)\n"
	"    exitsnoop --utc          # include timestamps (UTC)\n"
	"    exitsnoop -p 181         # only trace PID 181\n"
	"    exitsnoop --label=exit   # label each output line with 'exit'\n"
	"    exitsnoop --per-thread   # trace per thread termination\n",
	.opts = opts,
	.skeleton = &exitsnoop_bpf__skeleton,
	.run = run);

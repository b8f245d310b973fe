/* drsnoop: trace direct reclaim, as BCC's drsnoop: the task, the latency, the pages reclaimed
 * and (-v) the free memory when it began. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "symbolize/symbolize.h"
#include "drsnoop.skel.h"
#include "drsnoop.h"

BCCT_SKELETON(drsnoop_bpf);

static struct {
	bool print_uid, meminfo;
	const char *name;
	unsigned long long first_ts;
	long page_kb;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('U', "print-uid", &o.print_uid, "print UID column"),
	STD_PID('p'),
	STD_TID('t'),
	STD_UID('u'),
	STD_DURATION('d'),
	OPT_STR_('n', "name", &o.name, "NAME", "only print process names containing this name"),
	/* BCC's -v; it also turns on bcct's attach messages on stderr */
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "show system memory state"),
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	STD_EBPF,
	OPT_END_,
};

static void header(void *ctx)
{
	char line[128];
	size_t n = 0;

	if (env.timestamp)
		n += snprintf(line + n, sizeof(line) - n, "%-14s", "TIME(s)");
	if (o.print_uid)
		n += snprintf(line + n, sizeof(line) - n, "%-6s", "UID");
	n += snprintf(line + n, sizeof(line) - n, "%-14s %-6s %8s %5s", "COMM", env.tid ? "TID" : "PID",
		      "LAT(ms)", "PAGES");
	if (env.verbose)
		snprintf(line + n, sizeof(line) - n, "%10s", "FREE(KB)");
	out_header("%s", line);
}

/* -v: free memory in KB when the reclaim began, or MemFree now where the zone counters cannot
 * be found (configure says so). */
static unsigned long long free_kb(const struct drsnoop_event *e)
{
	long long kb;

	if (!o.meminfo)
		return e->free_pages * o.page_kb;
	kb = sys_meminfo_kb("MemFree");
	return kb > 0 ? (unsigned long long)kb : 0;
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct drsnoop_event *e = data;

	if (size < sizeof(*e))
		return 0;
	if (!o.first_ts)
		o.first_ts = e->ts;
	/* BCC: a substring of the name, checked in user space */
	if (o.name && !strstr(e->comm, o.name))
		return 0;
	out_event_time(e->ts);
	if (!env.json) {
		/* BCC's columns are glued: TIME(s) and UID carry their own padding, no separator */
		if (env.timestamp)
			printf("%-14.9f", (e->ts - o.first_ts) / 1e9);
		if (o.print_uid)
			printf("%-6u", e->uid);
		printf("%-14.14s %-6u %8.2f %5llu", e->comm, env.tid ? e->tid : e->pid, e->delta_ns / 1e6,
		       e->nr_reclaimed);
		if (env.verbose)
			printf("%10llu", free_kb(e));
		printf("\n");
		return 0;
	}
	out_begin();
	if (env.timestamp)
		out_float("time_s", "%f", (e->ts - o.first_ts) / 1e9);
	if (o.print_uid)
		out_int("uid", "%lld", e->uid);
	out_str("comm", "%s", e->comm);
	out_int(env.tid ? "tid" : "pid", "%lld", env.tid ? e->tid : e->pid);
	out_float("lat_ms", "%f", e->delta_ns / 1e6);
	out_uint("pages", "%llu", e->nr_reclaimed);
	if (env.verbose)
		out_uint("free_kb", "%llu", free_kb(e));
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct drsnoop_bpf *skel = p;

	/* the zone counters' address: kallsyms lists data symbols with CONFIG_KALLSYMS_ALL */
	if (env.verbose && !(skel->rodata->vm_zone_stat_addr = sym_kernel_addr("vm_zone_stat")) &&
	    !o.meminfo) {
		o.meminfo = true;
		bcct_warn("no vm_zone_stat in /proc/kallsyms (CONFIG_KALLSYMS_ALL): FREE(KB) is "
			  "/proc/meminfo's MemFree when the event is printed");
	}
	return 0;
}

static int run(void)
{
	o.page_kb = sysconf(_SC_PAGESIZE) / 1024;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = on_event,
	});
}

BCCT_APPLET(drsnoop,
	.category = "memory",
	.summary = "Trace direct reclaim",
	.description =
	"One line per direct reclaim (an allocation that had to free memory itself), from the\n"
	"vmscan:mm_vmscan_direct_reclaim_begin/end tracepoints: the task, the latency, the pages\n"
	"reclaimed, and with -v the free memory when it began (the kernel's zone counters, found\n"
	"in kallsyms; else MemFree when printed). A memory cgroup at its limit\n"
	"reclaims through other events (mm_vmscan_memcg_reclaim_*), not shown here, as in BCC.",
	.examples =
	"    drsnoop           # trace all direct reclaim\n"
	"    drsnoop -T        # include timestamps\n"
	"    drsnoop -U        # include UID\n"
	"    drsnoop -p 181    # only trace PID 181\n"
	"    drsnoop -t 123    # only trace TID 123\n"
	"    drsnoop -u 1000   # only trace UID 1000\n"
	"    drsnoop -d 10     # trace for 10 seconds only\n"
	"    drsnoop -n main   # only print process names containing \"main\"\n",
	.opts = opts,
	.skeleton = &drsnoop_bpf__skeleton,
	.run = run);

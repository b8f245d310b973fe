/* compactsnoop: trace memory zone compactions, one line each, as BCC's compactsnoop. */
#include <errno.h>
#include <stdio.h>
#include "core/applet.h"
#include "core/btf.h"
#include "core/features.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "compactsnoop.skel.h"
#include "compactsnoop.h"

BCCT_SKELETON(compactsnoop_bpf);

static struct {
	bool kernel_stack, extended;
	unsigned long long first_ts;
	struct bcct_stacks *stacks;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_PID('p'),
	STD_DURATION('d'),
	OPT_FLAG_('K', "kernel-stack", &o.kernel_stack, "output kernel stack trace"),
	OPT_FLAG_('e', "extended_fields", &o.extended, "show system memory state"),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* include/linux/mmzone.h, as BCC names them (x86_64's first three zones). */
static const char *zone_name(int idx, char *buf, size_t len)
{
	static const char *const zones[] = { "ZONE_DMA", "ZONE_DMA32", "ZONE_NORMAL" };

	if (idx >= 0 && idx < (int)(sizeof(zones) / sizeof(zones[0])))
		return zones[idx];
	snprintf(buf, len, "%d", idx);
	return buf;
}

/* enum compact_result (include/linux/compaction.h), in BCC's words. */
static const char *status_name(int status, char *buf, size_t len)
{
	static const char *const names[] = {
		"not_suitable_zone", "skipped", "deferred", "no_suitable_page", "continue",
		"complete", "partial_skipped", "contended", "success",
	};

	if (status >= 0 && status < (int)(sizeof(names) / sizeof(names[0])))
		return names[status];
	snprintf(buf, len, "%d", status);
	return buf;
}

static void print_header(void *ctx)
{
	(void)ctx;
	if (env.timestamp)
		out_text("%-14s ", "TIME(s)");
	out_text("%-14s %-6s %-4s %-12s %-5s %-7s ", "COMM", "PID", "NODE", "ZONE", "ORDER", "MODE");
	if (o.extended)
		out_text("%-8s %-8s %-8s %-8s %-8s ", "FRAGIDX", "MIN", "LOW", "HIGH", "FREE");
	out_text("%9s %16s\n", "LAT(ms)", "STATUS");
}

/* BCC: "\t" and each kernel frame with its offset, then an empty line. */
static void print_stack(int id)
{
	const char *const *names;
	int n = id >= 0 ? bcct_stack_frames(o.stacks, id, false, 0, NULL, &names) : 0;

	if (env.json) {
		json_str_array("kernel_stack", names, n < 0 ? 0 : n);
		return;
	}
	for (int i = 0; i < n; i++)
		printf("\t%s\n", names[i]);
	printf("\n");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct compactsnoop_event *e = data;
	char comm[sizeof(e->comm) + 1], zbuf[16], sbuf[16];

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	if (!o.first_ts)
		o.first_ts = e->ts;
	snprintf(comm, sizeof(comm), "%s", e->comm);
	out_event_time(e->ts);
	out_begin();
	if (env.timestamp)   /* BCC: microseconds since the first event, printed in seconds */
		out_float("time_s", "%-14.9f", (double)(e->ts / 1000 - o.first_ts / 1000) / 1e6);
	out_str("comm", "%-14.14s", comm);
	out_int("pid", "%-6lld", e->pid);
	out_int("node", "%-4lld", e->nid);
	out_str("zone", "%-12s", zone_name(e->idx, zbuf, sizeof(zbuf)));
	out_int("order", "%-5lld", e->order);
	out_str("mode", "%-7s", e->sync ? "SYNC" : "ASYNC");
	if (o.extended) {
		out_float("fragindex", "%-8.3f", e->fragindex / 1000.0);
		out_int("min", "%-8lld", e->min);
		out_int("low", "%-8lld", e->low);
		out_int("high", "%-8lld", e->high);
		out_int("free", "%-8lld", e->free);
	}
	if (env.json)
		out_uint("latency_ns", "", e->delta_ns);
	else
		out_float("lat_ms", "%9.3f", e->delta_ns / 1e6);
	out_str("status", "%16s", status_name(e->status, sbuf, sizeof(sbuf)));
	if (o.kernel_stack && env.json)
		print_stack(e->kernel_stack_id);
	out_end();
	if (o.kernel_stack && !env.json)
		print_stack(e->kernel_stack_id);
	return 0;
}

static int configure(void *p)
{
	struct compactsnoop_bpf *skel = p;

	/* Older tracepoints (5.10: zone pfns, 5 arguments) carry no compact_control to read. */
	if (bcct_btf_tp_args("mm_compaction_begin") != 4 && !bcct_has(FEAT_KPROBE)) {
		bcct_err("this kernel has no kprobes, and its mm_compaction_begin carries no compact_control");
		return BCCT_EXIT_FAIL;
	}
	skel->rodata->extended = o.extended;
	skel->rodata->kernel_stack = o.kernel_stack;
	bcct_probe_enable(skel, "fragmentation_index", o.extended);
	bcct_stacks_free(o.stacks);   /* from an attempt core fell back from */
	o.stacks = NULL;
	if (!o.kernel_stack)
		return bcct_map_resize(skel, "stacks", 1);
	o.stacks = bcct_stacks_new(skel->maps.stacks, &(struct bcct_stack_fmt){
		.kernel = true, .offsets = true });
	return o.stacks ? 0 : BCCT_EXIT_FAIL;
}

static int run(void)
{
	int err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = print_header,
		.on_event = on_event,
	});

	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	return err;
}

BCCT_APPLET(compactsnoop,
	.category = "memory",
	.summary = "Trace compact zone",
	.description =
	"Prints each compaction of a memory zone (mm_compaction_begin to mm_compaction_end): the\n"
	"process, the zone, the order asked (-1: all of it, /proc/sys/vm/compact_memory), the mode,\n"
	"its latency and result. -e adds the fragmentation index (a kretprobe on\n"
	"fragmentation_index: -1.000 where it was not seen or kprobes are absent), the zone's\n"
	"watermarks and its free pages, in pages.",
	.examples =
	"    compactsnoop          # trace all compact stall\n"
	"    compactsnoop -T       # include timestamps\n"
	"    compactsnoop -d 10    # trace for 10 seconds only\n"
	"    compactsnoop -K       # output kernel stack trace\n"
	"    compactsnoop -e       # show extended fields\n",
	.opts = opts,
	.skeleton = &compactsnoop_bpf__skeleton,
	.optional_probes = BCCT_NAMES("fragmentation_index"),
	.run = run);

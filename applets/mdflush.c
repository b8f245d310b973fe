/* mdflush: trace md (software RAID) flush requests, one line each. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "mdflush.skel.h"
#include "mdflush.h"

BCCT_SKELETON(mdflush_bpf);

static const struct bcct_opt opts[] = {
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	(void)ctx;
	out_header("%-8s %-7s %-16s %s", "TIME", "PID", "COMM", "DEVICE");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct mdflush_event *e = data;
	char comm[sizeof(e->comm) + 1], disk[sizeof(e->disk) + 1];

	(void)ctx;
	(void)size;
	snprintf(comm, sizeof(comm), "%s", e->comm);
	snprintf(disk, sizeof(disk), "%s", e->disk);
	out_event_time(e->ts);
	out_begin();
	out_time("time");
	out_int("pid", "%-7lld", e->pid);
	out_str("comm", "%-16s", comm);
	out_str("device", "%s", disk);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing md flush requests... Hit Ctrl-C to end.",
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(mdflush,
	.category = "block I/O",
	.summary = "Trace md flush events",
	.description =
	"One line per flush request reaching an md (software RAID) device, at md_flush_request()\n"
	"(fentry, else a kprobe): no tracepoint sees these as md's, so a kernel without both, or\n"
	"without md, is refused in one line.",
	.examples =
	"    mdflush            # trace md flush events\n",
	.opts = opts,
	.skeleton = &mdflush_bpf__skeleton,
	.run = run);

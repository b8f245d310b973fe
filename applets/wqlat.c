/* wqlat: summarize kernel workqueue latency (queued to executing) as histograms. */
#include <string.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "wqlat.skel.h"
#include "wqlat.h"

BCCT_SKELETON(wqlat_bpf);

static struct {
	bool nanoseconds, per_workqueue;
	const char *wqname;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('N', "nanoseconds", &o.nanoseconds, "output in nanoseconds"),
	OPT_FLAG_('W', "workqueues", &o.per_workqueue, "print a histogram per work queue"),
	OPT_STR_('w', "wqname", &o.wqname, "WQNAME", "print this workqueue only"),
	STD_JSON,
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	STD_EBPF,
	OPT_END_,
};

static int print(void *ctx, bool final)
{
	struct wqlat_bpf *skel = ctx;

	(void)final;
	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = o.nanoseconds ? "nsecs" : "usecs",
		.section = o.per_workqueue ? "wqname" : NULL,   /* the key is the name, as text */
		.clear = true,
	});
}

static int configure(void *skel)
{
	struct wqlat_bpf *s = skel;

	s->rodata->per_workqueue = o.per_workqueue;
	s->rodata->nanoseconds = o.nanoseconds;
	s->rodata->filter_name = o.wqname != NULL;
	if (o.wqname)
		memcpy((char *)s->rodata->target_name, o.wqname, strlen(o.wqname));
	return o.per_workqueue ? 0 : bcct_map_resize(skel, "hists", 1);
}

static int run(void)
{
	if (o.wqname && strlen(o.wqname) >= WQLAT_NAME_LEN) {
		bcct_usage_err("workqueue name len must be less than %d", WQLAT_NAME_LEN);
		return BCCT_EXIT_USAGE;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing work queue request latency time... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(wqlat,
	.category = "scheduler/CPU",
	.summary = "Summarize workqueue request latency as histograms",
	.examples =
	"    wqlat                   # summarize workqueue latency as a histogram\n"
	"    wqlat 1 10              # print 1 second summaries, 10 times\n"
	"    wqlat -W 1 10           # print 1 second, 10 times per workqueue\n"
	"    wqlat -NT 1             # 1s summaries, nanoseconds, and timestamps\n"
	"    wqlat -w nvmet_tcp_wq 1 # 1s summaries for workqueue nvmet_tcp_wq\n",
	.opts = opts,
	.skeleton = &wqlat_bpf__skeleton,
	.run = run);

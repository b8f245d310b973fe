/* oomkill: trace the OOM killer's kills, as BCC's oomkill: who triggered it, who was killed,
 * the pages weighed, and the load averages at that moment. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "oomkill.skel.h"
#include "oomkill.h"

BCCT_SKELETON(oomkill_bpf);

static const struct bcct_opt opts[] = {
	STD_FILTERS,
	OPT_END_,
};

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct oomkill_event *e = data;
	char avg[256];

	if (size < sizeof(*e))
		return 0;
	sys_loadavg(avg, sizeof(avg));
	out_event_time(e->ts);
	if (!env.json) {
		char now[16];

		printf("%s Triggered by PID %d (\"%s\"), OOM kill of PID %d (\"%s\"), %llu pages, loadavg: %s\n",
		       sys_time_of_day(now, sizeof(now)), e->fpid, e->fcomm, e->tpid, e->tcomm, e->pages, avg);
		return 0;
	}
	out_begin();
	out_int("pid", "%lld", e->fpid);
	out_str("comm", "%s", e->fcomm);
	out_int("tpid", "%lld", e->tpid);
	out_str("tcomm", "%s", e->tcomm);
	out_uint("pages", "%llu", e->pages);
	out_str("loadavg", "%s", avg);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct oomkill_bpf *skel = p;

	skel->rodata->page_size = sysconf(_SC_PAGESIZE);
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing OOM kills... Ctrl-C to stop.",
		.on_event = on_event,
	});
}

BCCT_APPLET(oomkill,
	.category = "memory",
	.summary = "Trace OOM killer",
	.description =
	"One line per kill: the task whose allocation triggered it, the victim, the pages the OOM\n"
	"killer weighed (its totalpages: RAM and swap, or the memory cgroup's limit), and\n"
	"/proc/loadavg. Entry probes (fentry, kprobe) on oom_kill_process; on kernels without\n"
	"them the oom:mark_victim tracepoint, where the pages are the victim's resident set.",
	.examples =
	"    oomkill               # trace OOM kills\n",
	.opts = opts,
	.skeleton = &oomkill_bpf__skeleton,
	.fallback = "oom:mark_victim: the pages are the victim's resident set, not the total pages the "
		    "OOM killer weighed, and the victim is the thread it marked",
	.run = run);

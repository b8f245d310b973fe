/* cpudist: summarize on- and off-CPU time per task as a histogram. */
#include <stdio.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "cpudist.skel.h"

static struct {
	bool offcpu, ms, pids, tids, idle, extension;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('O', "offcpu", &o.offcpu, "measure off-CPU time"),
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('m', "milliseconds", &o.ms, "millisecond histogram"),
	OPT_FLAG_('P', "pids", &o.pids, "print a histogram per process ID"),
	OPT_FLAG_('L', "tids", &o.tids, "print a histogram per thread ID"),
	STD_PID('p'),
	OPT_FLAG_('I', "include-idle", &o.idle, "include CPU idle time"),
	OPT_FLAG_('e', "extension", &o.extension, "show extension summary (average/total/count)"),
	STD_CGROUP,
	STD_COMM,
	OPT_FLAG_('j', "json", &env.json, "json output (one JSON object per histogram)"),
	STD_VERBOSE,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

/* BCC labels per-task sections with "PID COMM". */
static void pid_label(const void *key, char *buf, size_t len)
{
	char comm[32];
	unsigned int pid = *(const unsigned int *)key;

	if (*bcct_pid_comm(pid, comm, sizeof(comm)))
		snprintf(buf, len, "%u %s", pid, comm);
	else
		snprintf(buf, len, "%u", pid);
}

/* -e: BCC's "avg = 2 usecs, total: 4096 usecs, count: 2048" after the histograms. */
static void print_extension(struct bpf_map *map, const char *unit)
{
	unsigned long long v[2] = { 0, 0 }, total, count;   /* struct ext_val */
	unsigned int zero = 0;

	bpf_map__lookup_elem(map, &zero, sizeof(zero), v, sizeof(v), 0);
	bcct_map_clear(map);
	total = v[0];
	count = v[1];
	if (!count)
		return;
	if (env.json) {
		json_begin_object(NULL);
		json_str("unit", unit);
		json_uint("avg", total / count);
		json_uint("total", total);
		json_uint("count", count);
		json_end_object();
		return;
	}
	printf("\navg = %llu %s, total: %llu %s, count: %llu\n\n", total / count, unit, total, unit,
	       count);
}

static int print(void *ctx, bool final)
{
	struct cpudist_bpf *skel = ctx;
	const char *unit = o.ms ? "msecs" : "usecs";
	char ts[16];
	int err;

	out_text("\n");
	if (env.timestamp)
		out_text("%-8s\n", bcct_time_str(ts, sizeof(ts)));
	err = hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = unit,
		.section = o.pids ? "pid" : o.tids ? "tid" : NULL,
		.label = o.pids || o.tids ? pid_label : NULL,
		.clear = true,
	});
	if (o.extension)
		print_extension(skel->maps.ext, unit);
	return err;
}

static int run(void)
{
	struct cpudist_bpf *skel;
	int err;

	if (o.pids && o.tids) {
		bcct_usage_err("-P and -L are mutually exclusive");
		return BCCT_EXIT_USAGE;
	}
	skel = cpudist_bpf__open();
	if (skel) {
		skel->rodata->targ_offcpu = o.offcpu;
		skel->rodata->targ_ms = o.ms;
		skel->rodata->per_process = o.pids;
		skel->rodata->per_thread = o.tids;
		skel->rodata->include_idle = o.idle;
	}
	err = bcct_run(&(struct bcct_run){
		BCCT_SKEL(skel),
		.ctx = skel,
		.banner = o.offcpu ? "Tracing off-CPU time... Hit Ctrl-C to end."
				   : "Tracing on-CPU time... Hit Ctrl-C to end.",
		.on_interval = print,
	});
	cpudist_bpf__destroy(skel);
	return err;
}

static const struct bcct_probe probes[] = {
	PROBE("sched_switch", "sched_switch_btf", "sched_switch_raw"),
	PROBE_END,
};

BCCT_APPLET(cpudist,
	.category = "scheduler/CPU",
	.summary = "Summarize on- and off-CPU time per task as a histogram",
	.examples =
	"    cpudist              # summarize on-CPU time as a histogram\n"
	"    cpudist -O           # summarize off-CPU time as a histogram\n"
	"    cpudist 1 10         # print 1 second summaries, 10 times\n"
	"    cpudist -mT 1        # 1s summaries, milliseconds, and timestamps\n"
	"    cpudist -P           # show each PID separately\n"
	"    cpudist -p 185       # trace PID 185 only\n"
	"    cpudist -I           # include CPU idle time\n"
	"    cpudist -e           # show extension summary (average/total/count)\n",
	.opts = opts,
	.probes = probes,
	.bpf_elf = cpudist_bpf__elf_bytes,
	.run = run);

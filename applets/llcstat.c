/* llcstat: last-level cache references, misses and hit ratio per process (or thread, -t) and
 * CPU, as BCC's llcstat, from the hardware counters (core/pmc.h). Without a hardware PMU (most
 * virtual machines) it stops before tracing, in one line saying so. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include "core/applet.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "llcstat.h"
#include "llcstat.skel.h"

BCCT_SKELETON(llcstat_bpf);

static struct {
	long sample_period;
	bool tid;
} o = { .sample_period = 100 };

static const struct bcct_opt opts[] = {
	OPT_INT_('c', "sample_period", &o.sample_period, "SAMPLE_PERIOD",
		 "Sample one in this many number of cache reference / miss events", 1, LONG_MAX),
	POS_INT_("duration", OPT_DEST(env, duration), "Duration, in seconds, to run", 1, INT_MAX),
	OPT_FLAG_('t', "tid", &o.tid, "Summarize cache references and misses by PID/TID"),
	STD_FILTERS,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct llcstat_bpf *skel = p;
	int miss_fd = bpf_map__fd(skel->maps.miss_count);
	unsigned long long tot_ref = 0, tot_miss = 0;
	struct bcct_entries e;

	if (bcct_map_collect(skel->maps.ref_count, &e) < 0)
		return -1;
	out_header(o.tid ? "PID      TID      NAME             CPU     REFERENCE         MISS    HIT%%"
			 : "PID      NAME             CPU     REFERENCE         MISS    HIT%%");
	out_list("rows");
	for (size_t i = 0; i < e.n; i++) {
		const struct llcstat_key *k = bcct_entry_key(&e, i);
		unsigned long long ref = *(unsigned long long *)bcct_entry_value(&e, i), miss = 0;
		char comm[sizeof(k->comm) + 1];

		bpf_map_lookup_elem(miss_fd, k, &miss);   /* none: 0, as BCC */
		snprintf(comm, sizeof(comm), "%s", k->comm);
		tot_ref += ref;
		tot_miss += miss;
		out_begin();
		out_int("pid", "%-8lld", k->pid);
		if (o.tid)
			out_int("tid", "%-8lld", k->tid);
		out_str("comm", "%-16s", comm);
		out_int("cpu", "%-4lld", k->cpu);
		out_uint("references", "%12llu", ref);
		out_uint("misses", "%12llu", miss);
		/* sampling can count more misses than references for a task: no hit then */
		out_float("hit_pct", "%6.2f%%", ref ? (ref >= miss ? ref - miss : 0) * 100.0 / ref : 0);
		out_end();
	}
	bcct_entries_free(&e);
	out_member_begin("summary");
	if (env.json) {
		json_uint("references", tot_ref);
		json_uint("misses", tot_miss);
		json_float("hit_pct", tot_ref ? (double)(tot_ref - tot_miss) * 100.0 / tot_ref : 0);
		json_end_object();
	} else {
		printf("Total References: %llu Total Misses: %llu Hit Rate: %.2f%%\n", tot_ref, tot_miss,
		       tot_ref ? (double)(tot_ref - tot_miss) * 100.0 / tot_ref : 0);
	}
	return 0;
}

static int configure(void *p)
{
	struct llcstat_bpf *skel = p;

	skel->rodata->per_thread = o.tid;
	return 0;
}

static int run(void)
{
	char banner[96];

	if (!env.duration)
		env.duration = 10;   /* BCC's default */
	snprintf(banner, sizeof(banner), "Running for %ld seconds or hit Ctrl-C to end.", env.duration);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = banner,
		.on_interval = print,
		.sample_period = o.sample_period,
	});
}

BCCT_APPLET(llcstat,
	.category = "hardware",
	.summary = "Summarize cache references and misses by PID",
	.description =
	"Counts the hardware events cache-references and cache-misses (one in -c of each is\n"
	"sampled and credited to the task on the CPU) per process and CPU until the duration ends\n"
	"or Ctrl-C. Needs a hardware PMU: most virtual machines have none, and llcstat then stops\n"
	"in one line (`bcct features` shows perf_hw).",
	.examples =
	"    llcstat              # count cache references and misses for 10 seconds\n"
	"    llcstat 20           # ... for 20 seconds\n"
	"    llcstat -c 1000 20   # sample one in 1000 events\n"
	"    llcstat -t           # per thread\n",
	.opts = opts,
	.skeleton = &llcstat_bpf__skeleton,
	.run = run);

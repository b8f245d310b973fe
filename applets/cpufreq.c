/* cpufreq (upstream libbpf-tools): CPU frequency sampled system-wide and per process name, as
 * linear histograms in MHz printed at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "cpufreq.skel.h"
#include "cpufreq.h"

BCCT_SKELETON(cpufreq_bpf);

static struct {
	long freq;
} o = { .freq = 99 };

static const struct bcct_opt opts[] = {
	STD_DURATION('d'),
	OPT_INT_('f', "frequency", &o.freq, "FREQUENCY", "sample with a certain frequency (Hz), default 99",
		 1, 100000),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* Each CPU's frequency when the run starts, from its cpufreq policy in sysfs (kHz); later
 * changes come from power:cpu_frequency. Returns how many CPUs have one. */
static int read_start_freqs(struct cpufreq_bpf *skel)
{
	int ncpus = bcct_ncpus(), known = 0;

	for (int cpu = 0; cpu < ncpus && cpu < CPUFREQ_MAX_CPUS; cpu++) {
		char path[96], *text;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_cur_freq", cpu);
		text = sys_read_file(path, 64, NULL);
		if (text && atoi(text) > 0) {
			skel->bss->freqs_mhz[cpu] = atoi(text) / 1000;
			known++;
		}
		free(text);
	}
	return known;
}

static void on_start(void *ctx)
{
	if (!read_start_freqs(ctx))
		bcct_warn("no cpufreq driver (/sys/devices/system/cpu/cpu0/cpufreq): a CPU's frequency is"
			  " not known until power:cpu_frequency reports one, and its samples are not counted"
			  " before that");
}

static void emit(const char *comm, const struct bcct_hist *h)
{
	uint64_t slots[CPUFREQ_SLOTS];

	hist_widen(slots, h->slots, CPUFREQ_SLOTS);
	if (!env.json) {   /* upstream: the process name heads its histogram */
		hist_print_linear_step(stdout, slots, CPUFREQ_SLOTS, 0, CPUFREQ_STEP_MHZ, comm);
		return;
	}
	json_begin_object(NULL);
	json_str("comm", comm);
	hist_json_linear_step(slots, CPUFREQ_SLOTS, 0, CPUFREQ_STEP_MHZ, "MHz");
	json_end_object();
}

static int print(void *ctx, bool final)
{
	struct cpufreq_bpf *skel = ctx;
	struct bcct_entries e;
	uint64_t slots[CPUFREQ_SLOTS];

	if (!final)
		return 0;
	if (bcct_map_collect(skel->maps.hists, &e) < 0)
		return -1;
	bcct_entries_sort(&e, hist_cmp_comm);
	out_text("\n");
	out_list("hists");
	for (size_t i = 0; i < e.n; i++) {
		char comm[BCCT_TASK_COMM_LEN + 1];

		snprintf(comm, sizeof(comm), "%s", (const char *)bcct_entry_key(&e, i));
		emit(comm, bcct_entry_value(&e, i));
		out_text("\n");
	}
	bcct_entries_free(&e);
	hist_widen(slots, skel->bss->syswide.slots, CPUFREQ_SLOTS);
	if (env.json) {
		out_member_begin("syswide");
		hist_json_linear_step(slots, CPUFREQ_SLOTS, 0, CPUFREQ_STEP_MHZ, "MHz");
		json_end_object();
		out_begin_members();
		out_uint("unknown_samples", "", skel->bss->unknown_samples);
		out_end();
	} else {
		out_text("\n");
		hist_print_linear_step(stdout, slots, CPUFREQ_SLOTS, 0, CPUFREQ_STEP_MHZ, "syswide");
	}
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Sampling CPU freq system-wide & by process. Ctrl-C to end.",
		.on_start = on_start,
		.on_interval = print,
		.sample_freq = o.freq,
	});
}

BCCT_APPLET(cpufreq,
	.category = "scheduler/CPU",
	.summary = "Sampling CPU freq system-wide & by process",
	.description =
	"Samples every CPU at FREQUENCY Hz and counts, per process name and system-wide, the CPU's\n"
	"frequency at the sample (in 200 MHz steps), from its cpufreq policy and power:cpu_frequency.\n"
	"Samples on a CPU of unknown frequency (no cpufreq driver) are not counted, as upstream.",
	.examples =
	"    cpufreq         # sample CPU freq at 99HZ (default)\n"
	"    cpufreq -d 5    # sample for 5 seconds only\n"
	"    cpufreq -f 199  # sample CPU freq at 199HZ\n",
	.opts = opts,
	.skeleton = &cpufreq_bpf__skeleton,
	.run = run);

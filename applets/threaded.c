/* threaded (BPF Performance Tools, ch. 13): how a process's threads share the CPUs, by sampling
 * at 99 Hertz and counting samples per thread, printed every second as the book's tool. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "threaded.h"
#include "threaded.skel.h"

BCCT_SKELETON(threaded_bpf);

static struct {
	char banner[96];
} o;

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void row(const void *key, unsigned long long count)
{
	const struct threaded_key *k = key;

	out_begin();
	out_str("comm", "%-16s ", k->comm);
	out_uint("pid", "%-7llu ", k->pid);
	out_uint("tid", "%-7llu ", k->tid);
	out_uint("samples", "%7llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct threaded_bpf *skel = p;

	out_interval_begin();
	out_header("%-16s %-7s %-7s %7s", "COMM", "PID", "TID", "SAMPLES");
	return table_print_counts(skel->maps.counts, row, true);
}

static int run(void)
{
	/* The book's tool prints the time and the counts every second. */
	if (!env.interval)
		env.interval = 1;
	env.timestamp = true;
	if (env.pid)
		snprintf(o.banner, sizeof(o.banner), "Sampling PID %ld threads at 99 Hertz. "
			 "Show output every %lds.", env.pid, env.interval);
	else
		snprintf(o.banner, sizeof(o.banner), "Sampling threads at 99 Hertz. "
			 "Show output every %lds.", env.interval);
	return bcct_run(&(struct bcct_run){
		.banner = o.banner,
		.on_interval = print,
		.sample_freq = 99,
	});
}

BCCT_APPLET(threaded,
	.category = "scheduler/CPU",
	.summary = "On-CPU samples per thread, every second (book)",
	.examples =
	"    threaded -p 181    # threads of PID 181 on CPU, every second\n"
	"    threaded 5         # all processes' threads, every 5 seconds\n",
	.opts = opts,
	.skeleton = &threaded_bpf__skeleton,
	.run = run);

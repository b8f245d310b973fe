/* signals (BPF Performance Tools, ch. 13): signals sent, counted by signal and receiving thread,
 * printed at Ctrl-C (or every interval) as a BCC-style table, largest count first. The book's
 * map key is the same triple: signal name, receiving PID (the tracepoint's pid, a thread id),
 * receiving comm. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "core/table.h"
#include "signals.h"
#include "signals.skel.h"

BCCT_SKELETON(signals_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void row(const void *key, unsigned long long count)
{
	const struct signals_key *k = key;
	const char *name = sys_signal_name(k->sig);
	char num[16];

	/* A signal without a name (real-time ones between SIGRTMIN and SIGRTMAX) by number. */
	if (!name) {
		snprintf(num, sizeof(num), "%d", k->sig);
		name = num;
	}
	out_begin();
	if (env.json)
		out_int("sig", "", k->sig);
	out_str("sig_name", "%-10s", name);
	out_uint("pid", "%-7llu", k->pid);
	out_str("comm", "%-16s", k->comm);
	out_uint("count", "%8llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct signals_bpf *skel = p;

	out_interval_begin();
	out_header("%-10s %-7s %-16s %8s", "SIGNAL", "PID", "COMM", "COUNT");
	return table_print_counts(skel->maps.counts, row, true);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Counting signals. Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(signals,
	.category = "process",
	.summary = "Signals sent, counted by signal and receiving thread (book)",
	.examples =
	"    signals           # count signals until Ctrl-C\n"
	"    signals 5         # print the counts every 5 seconds\n"
	"    signals -p 181    # signals sent by PID 181 only\n",
	.opts = opts,
	.skeleton = &signals_bpf__skeleton,
	.run = run);

/* swapin (BPF Performance Tools, ch. 7; bcc's swapin.py): swap-ins by process, every second. */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "swapin.skel.h"

BCCT_SKELETON(swapin_bpf);

static struct {
	bool notime;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('T', "notime", &o.notime, "do not show the timestamp (HH:MM:SS)"),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct swapin_bpf *skel = p;

	out_interval_begin();
	return table_print_pid_comm_counts(skel->maps.counts, true);
}

static int run(void)
{
	if (!env.interval)
		env.interval = 1;
	env.timestamp = !o.notime;
	return bcct_run(&(struct bcct_run){
		.banner = "Counting swap ins. Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(swapin,
	.category = "memory",
	.summary = "Swap-ins by process, every second (book; bcc's swapin)",
	.examples =
	"    swapin             # swap-ins by process, every second\n"
	"    swapin -T 5        # every 5 seconds, without the time\n",
	.opts = opts,
	.skeleton = &swapin_bpf__skeleton,
	.run = run);

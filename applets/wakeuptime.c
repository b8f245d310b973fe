/* wakeuptime: blocked time summed by the waker's kernel stack. */
#include <stdio.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/family/offcpu.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "wakeuptime.skel.h"
#include "wakeuptime.h"

BCCT_SKELETON(wakeuptime_bpf);

static struct {
	bool folded;
	long pid, stack_size;
	struct bcct_stacks *stacks;
	char banner[100];
} o = { .stack_size = 1024 };

static const struct bcct_opt opts[] = {
	OPT_FLAG_('u', "useronly", OPT_DEST(offcpu, user_threads), "user threads only (no kernel threads)"),
	OPT_INT_('p', "pid", &o.pid, "PID", "trace this PID only", 0, INT_MAX),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format"),
	OPT_INT_(0, "stack-storage-size", &o.stack_size, "STACK_STORAGE_SIZE",
		 "the number of unique stack traces that can be stored and displayed (default 1024)",
		 1, BCCT_STACK_STORAGE_MAX),
	POS_INT_("duration", OPT_DEST(env, duration), "duration of trace, in seconds", 1, INT_MAX),
	OFFCPU_BLOCK_OPTS,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* BCC's -v ("show raw addresses") is left out: BCC prints the addresses whether or not it is
 * given, and so does bcct; -v is bcct's verbose (attach details on stderr). */

/* BCC's layout: "target:", the waker's kernel frames from the outermost, each after its
 * address, then "waker:" and the time; folded: waker, frames innermost first, target. */
static void print_entry(struct bcct_stacks *s, const void *key, uint64_t value)
{
	const struct wakeuptime_key *k = key;
	const char *const *names;
	const uint64_t *addrs;
	int n = bcct_stack_side(s, k->w_k_stack_id, false, 0, &names);

	if (n < 0)
		return;   /* counted for the warning; BCC skips the entry too */
	addrs = bcct_stack_addrs(s, false);
	if (env.json) {
		json_begin_object(NULL);
		json_str("waker", k->waker);
		json_str("target", k->target);
		json_uint("total_us", value);
		json_str_array("waker_kernel_stack", names, n);
		json_end_object();
	} else if (o.folded) {
		fputs(k->waker, stdout);
		for (int i = 0; i < n; i++)
			printf(";%s", names[i]);
		printf(";%s %llu\n", k->target, (unsigned long long)value);
	} else {
		printf("    %-16s %s\n", "target:", k->target);
		for (int i = n - 1; i >= 0; i--)
			printf("    %-16llx %s\n", (unsigned long long)addrs[i], names[i]);
		printf("    %-16s %s\n", "waker:", k->waker);
		printf("        %llu\n\n", (unsigned long long)value);
	}
}

static int print(void *ctx, bool final)
{
	struct wakeuptime_bpf *skel = ctx;

	if (!o.folded)
		out_text("\n");
	if (bcct_stacks_print_entries(o.stacks, skel->maps.counts, print_entry, !final) < 0)
		return 1;
	if (final && !o.folded)
		out_text("Detaching...\n");
	return 0;
}

static int configure(void *p)
{
	struct wakeuptime_bpf *skel = p;

	OFFCPU_FILL_RODATA(skel);
	bpf_map__set_max_entries(skel->maps.stacks, o.stack_size);
	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){
		.kernel = true,
		.folded = o.folded,
	});
}

static int run(void)
{
	char end[32];
	int err;

	if (o.pid && offcpu.user_threads) {
		bcct_usage_err("use either -p or -u.");
		return BCCT_EXIT_USAGE;
	}
	if (offcpu_check())
		return BCCT_EXIT_USAGE;
	offcpu.pid_ids[0] = o.pid;      /* one PID here, a list in the other off-CPU tools */
	snprintf(o.banner, sizeof(o.banner), "Tracing blocked time (us) by kernel stack%s",
		 offcpu_banner_end(end, sizeof(end)));
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.folded ? NULL : o.banner,
		.on_interval = print,
	});
	bcct_stacks_free(o.stacks);
	return err;
}

BCCT_APPLET(wakeuptime,
	.category = "scheduler/CPU",
	.summary = "Summarize sleep to wakeup time by waker kernel stack",
	.examples =
	"    wakeuptime             # trace blocked time with waker stacks\n"
	"    wakeuptime 5           # trace for 5 seconds only\n"
	"    wakeuptime -f 5        # 5 seconds, and output in folded format\n"
	"    wakeuptime -u          # don't include kernel threads (user only)\n"
	"    wakeuptime -p 185      # trace for PID 185 only\n",
	.opts = opts,
	.skeleton = &wakeuptime_bpf__skeleton,
	.run = run);

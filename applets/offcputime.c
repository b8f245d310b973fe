/* offcputime: summarize off-CPU (blocked) time by stack trace. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "offcputime.skel.h"
#include "offcputime.h"

BCCT_SKELETON(offcputime_bpf);

static struct {
	struct bcct_list pids, tids;
	__u32 pid_ids[OFFCPUTIME_MAX_TARGETS], tid_ids[OFFCPUTIME_MAX_TARGETS];
	int npids, ntids;
	bool offsets;
	bool user_threads, kernel_threads, user_only, kernel_only, delimited, folded;
	long stack_size, min_us, max_us, state;
	struct bcct_stacks *stacks;
	char banner[400];
} o = { .stack_size = BCCT_STACK_STORAGE_DEFAULT, .min_us = 1, .state = -1 };

/* --unwind=dwarf: the aggregate slot of each thread's last stack, until it comes back on CPU
 * (direct-mapped by tid: a collision loses one blocked period, never misattributes it). */
#define PENDING 16384
static struct {
	unsigned int tid;
	uint64_t *slot;
} pending[PENDING];

static const struct bcct_opt opts[] = {
	OPT_LIST_('p', "pid", &o.pids, "PID", "trace these PIDs only, comma separated list"),
	OPT_LIST_('t', "tid", &o.tids, "TID", "trace these TIDs only, comma separated list"),
	OPT_FLAG_('u', "user-threads-only", &o.user_threads, "user threads only (no kernel threads)"),
	OPT_FLAG_('k', "kernel-threads-only", &o.kernel_threads, "kernel threads only (no user threads)"),
	OPT_FLAG_('U', "user-stacks-only", &o.user_only, "show stacks from user space only (no kernel space stacks)"),
	OPT_FLAG_('K', "kernel-stacks-only", &o.kernel_only, "show stacks from kernel space only (no user space stacks)"),
	OPT_FLAG_('d', "delimited", &o.delimited, "insert delimiter between kernel/user stacks"),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format"),
	OPT_FLAG_('s', "offset", &o.offsets, "show address offsets"),
	STACK_STORAGE_OPT(o.stack_size),
	POS_INT_("duration", &env.duration, "duration of trace, in seconds", 1, INT_MAX),
	OPT_INT_('m', "min-block-time", &o.min_us, "MIN_BLOCK_TIME", "the amount of time in microseconds over which we store traces (default 1)", 1, LONG_MAX),
	OPT_INT_('M', "max-block-time", &o.max_us, "MAX_BLOCK_TIME", "the amount of time in microseconds under which we store traces (default U64_MAX)", 1, LONG_MAX),
	STD_UNWIND_OPTS("user stacks by frame pointers in the kernel (fp, default) or by DWARF CFI in user space from a copy of the stack taken at every switch (dwarf: code without frame pointers; use with -p)",
			"--unwind=dwarf: bytes of user stack copied per switch (default 8192, at most 32256)"),
	STD_STACK_OPTS,
	STD_STACK_EXPORT_OPTS,
	OPT_INT_(0, "state", &o.state, "STATE", "filter on this thread state bitmask (eg, 2 == TASK_UNINTERRUPTIBLE) see include/linux/sched.h", 0, INT_MAX),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static int check_options(void)
{
	if ((o.npids = bcct_parse_id_list(&o.pids, o.pid_ids, OFFCPUTIME_MAX_TARGETS, "-p/--pid")) < 0 ||
	    (o.ntids = bcct_parse_id_list(&o.tids, o.tid_ids, OFFCPUTIME_MAX_TARGETS, "-t/--tid")) < 0)
		return -1;
	if (!!o.npids + !!o.ntids + o.user_threads + o.kernel_threads > 1) {
		bcct_usage_err("-p, -t, -u and -k are mutually exclusive");
		return -1;
	}
	if (bcct_unwind_check())
		return -1;
	if (o.user_only && o.kernel_only) {
		bcct_usage_err("-U and -K are mutually exclusive");
		return -1;
	}
	if (o.kernel_threads && o.user_only) {
		bcct_usage_err("displaying user stacks for kernel threads doesn't make sense");
		return -1;
	}
	/* BCC: "ERROR: can only use -f or -s." (folded frames are bare names) */
	if (o.folded && o.offsets) {
		bcct_usage_err("can only use -f or -s");
		return -1;
	}
	if (o.max_us && o.min_us > o.max_us) {
		bcct_usage_err("-m %ld is above -M %ld", o.min_us, o.max_us);
		return -1;
	}
	return 0;
}

/* "Tracing off-CPU time (us) of all threads by user + kernel stack... Hit Ctrl-C to end." */
/* BCC's "PIDs 185,175" / "TIDs 188": the list joined by commas. */
static void join_ids(char *buf, size_t len, const char *what, const __u32 *ids, int n)
{
	size_t used = snprintf(buf, len, "%s ", what);

	for (int i = 0; i < n; i++)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%u", i ? "," : "", ids[i]);
}

static void make_banner(void)
{
	char threads[300], end[32];

	if (o.npids)
		join_ids(threads, sizeof(threads), "PIDs", o.pid_ids, o.npids);
	else if (o.ntids)
		join_ids(threads, sizeof(threads), "TIDs", o.tid_ids, o.ntids);
	else
		snprintf(threads, sizeof(threads), "%s", o.user_threads ? "user threads" :
			 o.kernel_threads ? "kernel threads" : "all threads");
	if (env.duration)
		snprintf(end, sizeof(end), " for %ld secs.", env.duration);
	else
		snprintf(end, sizeof(end), "... Hit Ctrl-C to end.");
	snprintf(o.banner, sizeof(o.banner), "Tracing off-CPU time (us) of %s by %s stack%s", threads,
		 o.user_only ? "user" : o.kernel_only ? "kernel" : "user + kernel", end);
}

static void describe(const void *key, struct bcct_stack *st)
{
	const struct offcputime_key *k = key;

	st->kernel_id = k->kernel_stack_id;
	st->user_id = k->user_stack_id;
	st->pid = k->pid;
	st->tgid = k->tgid;    /* one symbolizer per process, not per thread */
	st->comm = k->comm;
}

static int print(void *ctx, bool final)
{
	struct offcputime_bpf *skel = ctx;

	if (!o.folded)
		out_text("\n");
	if (bcct_unwind.dwarf) {
		if (!final)
			memset(pending, 0, sizeof(pending));   /* slots die with the cleared aggregate */
		return bcct_stacks_print_agg(o.stacks, bcct_unwind.agg, describe, !final) < 0;
	}
	return bcct_stacks_print_map(o.stacks, skel->maps.counts, describe, !final) < 0;
}

/* --unwind=dwarf: OUT unwinds the stack a thread leaves the CPU with, IN adds its blocked time. */
static int on_event(void *ctx, const void *data, size_t size)
{
	const struct offcputime_event *e = data;
	unsigned int i;

	if (size < sizeof(e->h))
		return 0;
	i = e->h.tid % PENDING;
	if (e->h.kind == OFFCPUTIME_EV_IN) {
		if (pending[i].tid == e->h.tid && pending[i].slot)
			*pending[i].slot += e->h.delta_us;
		pending[i].slot = NULL;
		return 0;
	}
	if (e->h.kind != OFFCPUTIME_EV_OUT || size < offsetof(struct offcputime_event, ustack.data))
		return 0;
	pending[i].tid = e->h.tid;
	pending[i].slot = bcct_unwind_slot(&e->key, e->key.tgid, &e->ustack,
					   size - offsetof(struct offcputime_event, ustack));
	return 0;
}

static int configure(void *p)
{
	struct offcputime_bpf *skel = p;

	if (BCCT_UNWIND_SETUP(skel, sizeof(struct offcputime_key)))
		return BCCT_EXIT_FAIL;
	skel->rodata->user_threads_only = o.user_threads;
	skel->rodata->kernel_threads_only = o.kernel_threads;
	skel->rodata->user_stacks = !o.kernel_only;
	skel->rodata->kernel_stacks = !o.user_only;
	memcpy(skel->rodata->target_tgids, o.pid_ids, sizeof(o.pid_ids));
	memcpy(skel->rodata->target_tids, o.tid_ids, sizeof(o.tid_ids));
	skel->rodata->state_filter = o.state;
	skel->rodata->min_block_us = o.min_us;
	skel->rodata->max_block_us = o.max_us ? (__u64)o.max_us : ~0ULL;
	bpf_map__set_max_entries(skel->maps.stacks, o.stack_size);
	bcct_stacks_free(o.stacks);   /* from an attempt core fell back from */
	o.stacks = bcct_stacks_new(skel->maps.stacks, &(struct bcct_stack_fmt){
		.kernel = !o.user_only,
		.user = !o.kernel_only,
		.folded = o.folded,
		.delimited = o.delimited,
		.offsets = o.offsets,
		.value_key = "total_us",      /* the blocked time, not a number of events */
		.export = { .values = { { "off_cpu", "nanoseconds", 1000 } },
			    .count_name = "us", .title = "Off-CPU Time Flame Graph" },
	});
	return o.stacks ? 0 : BCCT_EXIT_FAIL;
}

static int run(void)
{
	int err;

	if (check_options())
		return BCCT_EXIT_USAGE;
	make_banner();
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.folded ? NULL : o.banner,
		.on_interval = print,
		.on_event = bcct_unwind.dwarf ? on_event : NULL,
	});
	bcct_stacks_free(o.stacks);
	bcct_unwind_free();
	return err;
}

BCCT_APPLET(offcputime,
	.category = "scheduler/CPU",
	.summary = "Summarize off-CPU time by stack trace",
	.examples =
	"    offcputime             # trace off-CPU stack time until Ctrl-C\n"
	"    offcputime 5           # trace for 5 seconds only\n"
	"    offcputime -f 5        # 5 seconds, and output in folded format\n"
	"    offcputime --svg /tmp/offcpu.svg 5 # also write an SVG flame graph\n"
	"    offcputime --pprof /tmp/offcpu.pb.gz 5 # also write a pprof profile (off-CPU ns)\n"
	"    offcputime -m 1000     # trace only events that last more than 1000 usec\n"
	"    offcputime -M 10000    # trace only events that last less than 10000 usec\n"
	"    offcputime -s 5        # 5 seconds, and show symbol offsets\n"
	"    offcputime -p 185,175,165 # only trace threads for PID 185,175,165\n"
	"    offcputime -t 188,120,134 # only trace threads 188,120,134\n"
	"    offcputime -u          # only trace user threads (no kernel)\n"
	"    offcputime -k          # only trace kernel threads (no user)\n"
	"    offcputime -U          # only show user space stacks (no kernel)\n"
	"    offcputime -K          # only show kernel space stacks (no user)\n"
	"    offcputime -p 185 --unwind=dwarf  # user stacks of code without frame pointers\n",
	.opts = opts,
	.skeleton = &offcputime_bpf__skeleton,
	.run = run);

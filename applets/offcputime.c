/* offcputime: summarize off-CPU (blocked) time by stack trace. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/family/offcpu.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "offcputime.skel.h"
#include "offcputime.h"

BCCT_SKELETON(offcputime_bpf);

static struct {
	bool offsets, delimited, folded;
	long stack_size;
	struct bcct_stacks *stacks;
	char banner[400];
} o = { .stack_size = BCCT_STACK_STORAGE_DEFAULT };

/* --unwind=dwarf: the aggregate slot of each thread's last stack, until it comes back on CPU
 * (direct-mapped by tid: a collision loses one blocked period, never misattributes it). */
#define PENDING 16384
static struct {
	unsigned int tid;
	uint64_t *slot;
} pending[PENDING];

static const struct bcct_opt opts[] = {
	OFFCPU_ID_OPTS("PID", "trace these PIDs only, comma separated list",
		       "TID", "trace these TIDs only, comma separated list"),
	OPT_FLAG_('d', "delimited", &o.delimited, "insert delimiter between kernel/user stacks"),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format"),
	OPT_FLAG_('s', "offset", &o.offsets, "show address offsets"),
	STACK_STORAGE_OPT(o.stack_size),
	POS_INT_("duration", OPT_DEST(env, duration), "duration of trace, in seconds", 1, INT_MAX),
	OFFCPU_BLOCK_OPTS,
	STD_UNWIND_OPTS("user stacks by frame pointers in the kernel (fp, default) or by DWARF CFI in user space from a copy of the stack taken at every switch (dwarf: code without frame pointers; use with -p)",
			"--unwind=dwarf: bytes of user stack copied per switch (default 8192, at most 32256)"),
	STD_STACK_OPTS,
	STD_STACK_EXPORT_OPTS,
	OFFCPU_STATE_OPT,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static int check_options(void)
{
	if (offcpu_check() || bcct_unwind_check())
		return -1;
	/* BCC: "ERROR: can only use -f or -s." (folded frames are bare names) */
	if (o.folded && o.offsets) {
		bcct_usage_err("can only use -f or -s");
		return -1;
	}
	return 0;
}

/* "Tracing off-CPU time (us) of all threads by user + kernel stack... Hit Ctrl-C to end." */
static void make_banner(void)
{
	char threads[300], end[32];

	snprintf(o.banner, sizeof(o.banner), "Tracing off-CPU time (us) of %s by %s stack%s",
		 offcpu_threads_text(threads, sizeof(threads)),
		 offcpu.user_only ? "user" : offcpu.kernel_only ? "kernel" : "user + kernel",
		 offcpu_banner_end(end, sizeof(end)));
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
	OFFCPU_FILL_RODATA(skel);
	skel->rodata->user_stacks = !offcpu.kernel_only;
	skel->rodata->kernel_stacks = !offcpu.user_only;
	bpf_map__set_max_entries(skel->maps.stacks, o.stack_size);
	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){
		.kernel = !offcpu.user_only,
		.user = !offcpu.kernel_only,
		.folded = o.folded,
		.delimited = o.delimited,
		.offsets = o.offsets,
		.value_key = "total_us",      /* the blocked time, not a number of events */
		.export = { .values = { { "off_cpu", "nanoseconds", 1000 } },
			    .count_name = "us", .title = "Off-CPU Time Flame Graph" },
	});
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

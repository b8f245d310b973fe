/* offwaketime: blocked time summed by the off-CPU stack and the waker's stack. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/family/offcpu.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "offwaketime.skel.h"
#include "offwaketime.h"

BCCT_SKELETON(offwaketime_bpf);

static struct {
	bool delimited, folded;
	long stack_size;
	struct bcct_stacks *stacks;
	char banner[200];
} o = { .stack_size = 1024 };   /* BCC's default here, not offcputime's 16384 */

static const struct bcct_opt opts[] = {
	OFFCPU_ID_OPTS("PIDS", "trace these PIDS only. Can be a comma separated list of PIDS.",
		       "TIDS", "trace these TIDS only. Can be a comma separated list of TIDS."),
	OPT_FLAG_('d', "delimited", &o.delimited, "insert delimiter between kernel/user stacks"),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format"),
	OPT_INT_(0, "stack-storage-size", &o.stack_size, "STACK_STORAGE_SIZE",
		 "the number of unique stack traces that can be stored and displayed (default 1024)",
		 1, BCCT_STACK_STORAGE_MAX),
	POS_INT_("duration", OPT_DEST(env, duration), "duration of trace, in seconds", 1, INT_MAX),
	OFFCPU_BLOCK_OPTS,
	OFFCPU_STATE_OPT,
	STD_STACK_OPTS,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* One side's frames (innermost first), or BCC's "[Missed ... Stack]". JSON: an array, and a
 * PREFIX_missed flag when the stack could not be read. */
struct side {
	const char *const *names;
	int n;                  /* -1: missed */
};

static struct side frames(struct bcct_stacks *s, int id, bool user, unsigned int tgid)
{
	struct side f;

	f.n = bcct_stack_side(s, id, user, tgid, &f.names);
	return f;
}

static void print_lines(const struct side *f, bool user, bool outer_first)
{
	if (f->n < 0) {
		printf("    %s\n", bcct_stack_missed_text(user));
		return;
	}
	for (int i = 0; i < f->n; i++)
		printf("    %s\n", f->names[outer_first ? f->n - 1 - i : i]);
}

static void print_folded(const struct side *f, bool user, bool outer_first)
{
	if (f->n < 0) {
		printf(";%s", bcct_stack_missed_text(user));
		return;
	}
	for (int i = 0; i < f->n; i++)
		printf(";%s", f->names[outer_first ? f->n - 1 - i : i]);
}

static void json_side(const char *key, const char *missed_key, const struct side *f)
{
	json_str_array(key, f->n > 0 ? f->names : NULL, f->n > 0 ? f->n : 0);
	if (f->n < 0)
		json_bool(missed_key, true);
}

/* BCC's -d: a "-" between the kernel and user parts when both are there. */
static bool delimit(int k_id, int u_id)
{
	return o.delimited && !offcpu.user_only && !offcpu.kernel_only && k_id >= 0 && u_id >= 0;
}

/* Four stacks are printed one side at a time: bcct_stack_side keeps one result per side. BCC's
 * layout: the waker's stack from its outermost user frame down to the wakeup, "--", then the
 * target's from where it blocked out to its outermost user frame (folded: target outer to
 * inner, "--", waker inner to outer, so a flame graph shows the waker upside down on top). */
static void print_entry(struct bcct_stacks *s, const void *key, uint64_t value)
{
	const struct offwaketime_key *k = key;
	bool ku = !offcpu.kernel_only, kk = !offcpu.user_only;
	struct side f;

	if (env.json) {
		json_begin_object(NULL);
		json_str("waker", k->waker);
		json_int("waker_pid", k->w_pid);
		json_str("target", k->target);
		json_int("target_pid", k->t_pid);
		json_uint("total_us", value);
		if (kk) {
			f = frames(s, k->w_k_stack_id, false, 0);
			json_side("waker_kernel_stack", "waker_kernel_stack_missed", &f);
			f = frames(s, k->t_k_stack_id, false, 0);
			json_side("target_kernel_stack", "target_kernel_stack_missed", &f);
		}
		if (ku) {
			f = frames(s, k->w_u_stack_id, true, k->w_tgid);
			json_side("waker_user_stack", "waker_user_stack_missed", &f);
			f = frames(s, k->t_u_stack_id, true, k->t_tgid);
			json_side("target_user_stack", "target_user_stack_missed", &f);
		}
		json_end_object();
		return;
	}
	if (o.folded) {
		fputs(k->target, stdout);
		if (ku) {
			f = frames(s, k->t_u_stack_id, true, k->t_tgid);
			print_folded(&f, true, true);
		}
		if (kk) {
			if (delimit(k->t_k_stack_id, k->t_u_stack_id))
				fputs(";-", stdout);
			f = frames(s, k->t_k_stack_id, false, 0);
			print_folded(&f, false, true);
		}
		fputs(";--", stdout);
		if (kk) {
			f = frames(s, k->w_k_stack_id, false, 0);
			print_folded(&f, false, false);
		}
		if (ku) {
			if (delimit(k->w_k_stack_id, k->w_u_stack_id))
				fputs(";-", stdout);
			f = frames(s, k->w_u_stack_id, true, k->w_tgid);
			print_folded(&f, true, false);
		}
		printf(";%s %llu\n", k->waker, (unsigned long long)value);
		return;
	}
	printf("    %-16s %s %u\n", "waker:", k->waker, k->w_pid);
	if (ku) {
		f = frames(s, k->w_u_stack_id, true, k->w_tgid);
		print_lines(&f, true, true);
	}
	if (kk) {
		if (delimit(k->w_k_stack_id, k->w_u_stack_id))
			printf("    -\n");
		f = frames(s, k->w_k_stack_id, false, 0);
		print_lines(&f, false, true);
	}
	printf("    %-16s %s\n", "--", "--");
	if (kk) {
		f = frames(s, k->t_k_stack_id, false, 0);
		print_lines(&f, false, false);
	}
	if (ku) {
		if (delimit(k->t_k_stack_id, k->t_u_stack_id))
			printf("    -\n");
		f = frames(s, k->t_u_stack_id, true, k->t_tgid);
		print_lines(&f, true, false);
	}
	printf("    %-16s %s %u\n", "target:", k->target, k->t_pid);
	printf("        %llu\n\n", (unsigned long long)value);
}

static int print(void *ctx, bool final)
{
	struct offwaketime_bpf *skel = ctx;

	if (!o.folded)
		out_text("\n");
	return bcct_stacks_print_entries(o.stacks, skel->maps.counts, print_entry, !final) < 0;
}

static int configure(void *p)
{
	struct offwaketime_bpf *skel = p;

	OFFCPU_FILL_RODATA(skel);
	skel->rodata->user_stacks = !offcpu.kernel_only;
	skel->rodata->kernel_stacks = !offcpu.user_only;
	bpf_map__set_max_entries(skel->maps.stacks, o.stack_size);
	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){
		.kernel = !offcpu.user_only,
		.user = !offcpu.kernel_only,
		.folded = o.folded,
		.delimited = o.delimited,
	});
}

static int run(void)
{
	char end[32];
	int err;

	if (offcpu_check())
		return BCCT_EXIT_USAGE;
	snprintf(o.banner, sizeof(o.banner), "Tracing blocked time (us) by %s off-CPU and waker stack%s",
		 offcpu.user_only ? "user" : offcpu.kernel_only ? "kernel" : "user + kernel",
		 offcpu_banner_end(end, sizeof(end)));
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.folded ? NULL : o.banner,
		.on_interval = print,
	});
	bcct_stacks_free(o.stacks);
	return err;
}

BCCT_APPLET(offwaketime,
	.category = "scheduler/CPU",
	.summary = "Summarize blocked time by kernel stack trace + waker stack",
	.examples =
	"    offwaketime             # trace off-CPU + waker stack time until Ctrl-C\n"
	"    offwaketime 5           # trace for 5 seconds only\n"
	"    offwaketime -f 5        # 5 seconds, and output in folded format\n"
	"    offwaketime -m 1000     # trace only events that last more than 1000 usec\n"
	"    offwaketime -M 9000     # trace only events that last less than 9000 usec\n"
	"    offwaketime -p 185      # only trace threads for PID 185\n"
	"    offwaketime -t 188      # only trace thread 188\n"
	"    offwaketime -u          # only trace user threads (no kernel)\n"
	"    offwaketime -k          # only trace kernel threads (no user)\n"
	"    offwaketime -U          # only show user space stacks (no kernel)\n"
	"    offwaketime -K          # only show kernel space stacks (no user)\n",
	.opts = opts,
	.skeleton = &offwaketime_bpf__skeleton,
	.run = run);

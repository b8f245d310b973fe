/* stackcount: count the stack traces leading to functions, tracepoints and USDT probes. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/output.h"
#include "core/probe/probespec.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "core/stacks.h"
#include "stackcount.skel.h"
#include "stackcount.h"

BCCT_SKELETON(stackcount_bpf);

static struct {
	bool regexp, offsets, per_pid, kernel_only, user_only, delimited, folded, debug;
	long cpu;
	const char *pattern;
	struct ps_spec spec;
	struct ps_targets targets;
	struct ps_progs progs;
	struct bcct_stacks *stacks;
	struct stackcount_bpf *skel;
} o = { .cpu = -1 };

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	OPT_INT_('c', "cpu", &o.cpu, "CPU", "trace this CPU only", 0, INT_MAX),
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "summary interval, seconds", 1, INT_MAX),
	STD_DURATION('D'),
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('r', "regexp", &o.regexp, "use regular expressions. Default is \"*\" wildcards only."),
	OPT_FLAG_('s', "offset", &o.offsets, "show address offsets"),
	OPT_FLAG_('P', "perpid", &o.per_pid, "display stacks separately for each process"),
	OPT_FLAG_('K', "kernel-stacks-only", &o.kernel_only, "kernel stack only"),
	OPT_FLAG_('U', "user-stacks-only", &o.user_only, "user stack only"),
	/* BCC's -v shows raw addresses; it also turns on bcct's attach messages on stderr. */
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "show raw addresses"),
	OPT_FLAG_('d', "delimited", &o.delimited, "insert delimiter between kernel/user stacks"),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format"),
	OPT_FLAG_(0, "debug", &o.debug, "print the probe targets (name, file, offset) before starting"),
	STD_STACK_OPTS,
	STD_STACK_EXPORT_OPTS,
	STD_UNWIND_OPTS("user stacks by frame pointers in the kernel (fp, default) or by DWARF CFI in user space from a copy of the stack taken at every hit (dwarf: code built without frame pointers)",
			"--unwind=dwarf: bytes of user stack copied per hit (default 8192, at most 32256)"),
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	POS_STR_("pattern", &o.pattern, "search expression for events"),
	OPT_END_,
};

/* skbdrop (BPF Performance Tools, ch. 10): the book's skbdrop.bt counts the kernel stacks of
 * skb:kfree_skb, i.e. stackcount -K t:skb:kfree_skb (its nstat summary is nstat's to give). */
static const struct bcct_opt skbdrop_opts[] = {
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "summary interval, seconds", 1, INT_MAX),
	STD_DURATION('D'),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format"),
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "show raw addresses and attach methods"),
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	OPT_END_,
};

/* The book's stack-counting tools (brkstack, faults, kpages) are stackcount at one tracepoint:
 * their options are these. */
static const struct bcct_opt book_opts[] = {
	STD_PID('p'),
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "summary interval, seconds", 1, INT_MAX),
	STD_DURATION('D'),
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format"),
	STD_STACK_OPTS,
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "show raw addresses"),
	OPT_END_,
};

/* BCC counts stacks per process only with -P (and -p, which implies it); otherwise one stack
 * counts every process, and it prints no "comm [pid]" line and no name in folded lines. */
static bool per_process(void)
{
	return o.per_pid || env.pid;
}

static bool need_delimiter(void)
{
	return o.delimited && !o.kernel_only && !o.user_only;
}

/* Frames of one side, innermost first; none when the stack is absent or gone. */
static int frames(int id, bool user, int tgid, const struct bcct_entry_caller *caller,
		  const char *const **names)
{
	int n = bcct_stack_frames(o.stacks, id, user, tgid, caller, names);

	return n < 0 ? 0 : n;
}

static void print_frames(bool user, const char *const *names, int n)
{
	const uint64_t *addrs = bcct_stack_addrs(o.stacks, user);

	for (int i = 0; i < n; i++) {
		if (env.verbose)
			printf("  %-16llx %s\n", (unsigned long long)addrs[i], names[i]);
		else
			printf("  %s\n", names[i]);
	}
}

/* BCC's layouts: multi-line (kernel frames, "    --", user frames, "    comm [pid]", count) or
 * folded ("comm;user outer..inner;-;kernel outer..inner count"). User frames from the stack map,
 * or with --unwind=dwarf the unwound addresses uaddrs[0..un_n). */
static void print_stack(const struct stackcount_key *k, unsigned long long count,
			const uint64_t *uaddrs, int un_n)
{
	int tgid = k->tgid == STACKCOUNT_NO_PID ? 0 : (int)k->tgid;   /* for user symbols */
	bool pid = per_process() && k->tgid != STACKCOUNT_NO_PID;
	const char *const *kn, *const *un;
	int nk, nu;

	if (env.json) {
		bcct_stack_print(o.stacks, &(struct bcct_stack){
			.kernel_id = k->kernel_stack_id, .user_id = k->user_stack_id,
			.pid = pid ? (int)k->tgid : -1, .tgid = tgid,
			.comm = k->comm, .value = count, .user_addrs = uaddrs, .user_n = un_n,
			.caller = k->caller });
		return;
	}
	nk = frames(k->kernel_stack_id, false, 0, NULL, &kn);
	nu = uaddrs ? bcct_stack_user_frames(o.stacks, uaddrs, un_n, tgid, &un) :
	     frames(k->user_stack_id, true, tgid, &k->caller, &un);
	bcct_stack_record(o.stacks, &(struct bcct_stack){ .pid = pid ? (int)k->tgid : -1,
							 .comm = k->comm, .value = count });
	if (o.folded) {
		fputs(k->comm, stdout);
		for (int i = nu - 1; i >= 0; i--)
			printf(";%s", un[i]);
		if (need_delimiter())
			fputs(";-", stdout);
		for (int i = nk - 1; i >= 0; i--)
			printf(";%s", kn[i]);
		printf(" %llu\n", count);
		return;
	}
	print_frames(false, kn, nk);
	if (need_delimiter())
		printf("    --\n");
	print_frames(true, un, nu);
	if (!env.pid && pid)
		printf("    %s [%u]\n", k->comm, k->tgid);
	printf("    %llu\n\n", count);
}

static int by_count(const void *a, const void *b)
{
	const struct stackcount_key *x = a, *y = b;
	unsigned long long va, vb;

	memcpy(&va, (const char *)a + ((sizeof(*x) + 7) & ~(size_t)7), sizeof(va));
	memcpy(&vb, (const char *)b + ((sizeof(*y) + 7) & ~(size_t)7), sizeof(vb));
	if (va != vb)
		return va < vb ? -1 : 1;
	return memcmp(x, y, sizeof(*x));
}

static int by_stack_ids(const void *a, const void *b)
{
	const struct stackcount_key *x = a, *y = b;

	if (x->kernel_stack_id != y->kernel_stack_id)
		return x->kernel_stack_id < y->kernel_stack_id ? -1 : 1;
	if (x->user_stack_id != y->user_stack_id)
		return x->user_stack_id < y->user_stack_id ? -1 : 1;
	return memcmp(&x->caller, &y->caller, sizeof(x->caller));
}

/* Without -P: the keys of one stack (same ids and caller) that differ only by process, kept apart in BPF for
 * their user symbols, become one, counting them all and symbolized in the first process. */
static void merge_processes(struct bcct_entries *e)
{
	size_t kept = 0;

	bcct_entries_sort(e, by_stack_ids);
	for (size_t i = 0; i < e->n; i++) {
		if (kept && !by_stack_ids(bcct_entry_key(e, kept - 1), bcct_entry_key(e, i))) {
			*(unsigned long long *)bcct_entry_value(e, kept - 1) +=
				*(unsigned long long *)bcct_entry_value(e, i);
			continue;
		}
		if (kept != i)
			memcpy(bcct_entry_key(e, kept), bcct_entry_key(e, i), e->stride);
		kept++;
	}
	e->n = kept;
}

static void print_unwound(void *ctx, const void *key, const uint64_t *addrs, int n, uint64_t value)
{
	print_stack(key, value, addrs, n);
}

static int print(void *ctx, bool final)
{
	struct bcct_entries e;
	char ts[16];

	if (!o.folded)
		out_text("\n");
	if (env.timestamp)
		out_text("%-8s\n", sys_time_of_day(ts, sizeof(ts)));
	out_list("stacks");             /* JSON: present, if empty, in every interval */
	if (bcct_unwind.dwarf) {
		if (bcct_stack_agg_foreach(bcct_unwind.agg, print_unwound, NULL) < 0)
			return -1;
		fflush(stdout);
		if (bcct_stacks_done(o.stacks))
			return -1;
		if (!final)
			bcct_stack_agg_clear(bcct_unwind.agg);
		return 0;
	}
	if (bcct_map_collect(o.skel->maps.counts, &e) < 0)
		return -1;
	if (!per_process())
		merge_processes(&e);
	bcct_entries_sort(&e, by_count);
	for (size_t i = 0; i < e.n; i++)
		print_stack(bcct_entry_key(&e, i), *(unsigned long long *)bcct_entry_value(&e, i), NULL, 0);
	bcct_entries_free(&e);
	fflush(stdout);
	if (bcct_stacks_done(o.stacks))
		return -1;
	/* BCC clears the counts only: stack ids stay valid for the stacks still being hit. */
	if (!final)
		bcct_map_clear(o.skel->maps.counts);
	return 0;
}

/* --unwind=dwarf: one hit with its stack copy; unwound and counted here. */
static int on_event(void *ctx, const void *data, size_t size)
{
	const struct stackcount_event *e = data;
	uint64_t *count;

	if (size < offsetof(struct stackcount_event, ustack.data))
		return 0;
	count = bcct_unwind_slot(&e->key, e->key.tgid, &e->ustack,
				 size - offsetof(struct stackcount_event, ustack));
	if (count)
		(*count)++;
	return 0;
}

static void detaching(void *ctx)
{
	if (!o.folded)
		out_text("Detaching...\n");
}

/* After load: the stack printer needs the loaded map. */
static int attach(void *ctx)
{
	int n;

	o.stacks = bcct_stacks_new(o.skel->maps.stacks, &(struct bcct_stack_fmt){
		.kernel = !o.user_only,
		.user = !o.kernel_only,
		.folded = o.folded,
		.delimited = o.delimited,
		.offsets = o.offsets,
		.addresses = env.verbose > 0,
		.export = { .values = { { "count", "count", 1 } }, .count_name = "counts",
			    .title = "Stack Count Flame Graph" },
	});
	if (!o.stacks)
		return -ENOMEM;
	n = ps_attach(&o.spec, &o.targets, &o.progs, false, 0);
	return n < 0 ? n : 0;
}

static int configure(void *p)
{
	struct stackcount_bpf *s = o.skel = p;

	s->rodata->cpu_filter = o.cpu;
	s->rodata->kernel_stacks = !o.user_only;
	s->rodata->user_stacks = !o.kernel_only;
	/* BCC counts per process with -P or -p only. bcct keeps the process apart in BPF also for
	 * user stacks, whose symbols are per process, and merges those counts again in print(). */
	s->rodata->key_pid = per_process() || !o.kernel_only;
	s->rodata->key_comm = per_process();
	s->rodata->entry_uprobes = o.spec.kind == PS_UFUNC;
	if (BCCT_UNWIND_SETUP(s, sizeof(struct stackcount_key)))
		return BCCT_EXIT_FAIL;
	o.progs = (struct ps_progs){
		.probe = s->progs.count_probe,
		.multi = s->progs.count_multi,
		.tp = s->progs.count_tp,
		.usdt = s->progs.count_usdt,
		.shared = true,
	};
	return ps_prepare(&o.spec, &o.targets, &o.progs);
}

static int run(void)
{
	char banner[4096];
	int err;

	if (!o.pattern) {
		bcct_usage_err("the following arguments are required: pattern");
		return BCCT_EXIT_USAGE;
	}
	if (o.kernel_only && o.user_only) {
		bcct_usage_err("-K and -U are mutually exclusive. If you want both stacks, that is the default.");
		return BCCT_EXIT_USAGE;
	}
	if (bcct_unwind_check())
		return BCCT_EXIT_USAGE;
	bcct_unwind.dwarf &= !o.kernel_only;    /* -K: no user stack to unwind */
	if (o.cpu >= bcct_ncpus()) {
		bcct_usage_err("invalid -c/--cpu '%ld': this system has CPUs 0-%d", o.cpu, bcct_ncpus() - 1);
		return BCCT_EXIT_USAGE;
	}
	err = ps_open(o.pattern, PS_F_ALL | (o.regexp ? PS_F_REGEX : 0), env.pid,
				  "No functions matched by pattern %s", o.debug, &o.spec, &o.targets);
	if (err)
		goto out;

	snprintf(banner, sizeof(banner), "Tracing %zu functions for \"%s\"... Hit Ctrl-C to end.",
		 o.targets.n, o.pattern);
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.folded ? NULL : banner,
		.attach = attach,
		.on_event = bcct_unwind.dwarf ? on_event : NULL,
		.on_interval = print,
		.on_exit = detaching,
	});
out:
	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	bcct_unwind_free();
	o.skel = NULL;
	ps_targets_free(&o.targets);
	ps_free(&o.spec);
	return err;
}

BCCT_APPLET(stackcount,
	.spec_kinds = PS_F_ALL,
	.category = "generic/multi-tool",
	.summary = "Count events and their stack traces",
	.description =
	"The pattern is func (kernel), lib:func or /path:func (user), t:category:event (tracepoint)\n"
	"or u:lib:probe (USDT), with \"*\" wildcards (or -r regular expressions). Kernel and user\n"
	"stacks are both shown unless -K or -U. Stacks are counted over every process unless -P (or\n"
	"-p); user frames are named from the first process that had the stack.",
	.examples =
	"    stackcount submit_bio         # count kernel stack traces for submit_bio\n"
	"    stackcount -d ip_output       # include a user/kernel stack delimiter\n"
	"    stackcount -s ip_output       # show symbol offsets\n"
	"    stackcount -sv ip_output      # show offsets and raw addresses (verbose)\n"
	"    stackcount 'tcp_send*'        # count stacks for funcs matching tcp_send*\n"
	"    stackcount -r '^tcp_send.*'   # same as above, using regular expressions\n"
	"    stackcount -Ti 5 ip_output    # output every 5 seconds, with timestamps\n"
	"    stackcount -p 185 ip_output   # count ip_output stacks for PID 185 only\n"
	"    stackcount -c 1 put_prev_entity   # count put_prev_entity stacks for CPU 1 only\n"
	"    stackcount -p 185 c:malloc    # count stacks for malloc in PID 185\n"
	"    stackcount t:sched:sched_process_fork # count stacks for the sched_process_fork tracepoint\n"
	"    stackcount -p 185 u:node:*    # count stacks for all USDT probes in node\n"
	"    stackcount -K t:sched:sched_switch   # kernel stacks only\n"
	"    stackcount -U t:sched:sched_switch   # user stacks only\n"
	"    stackcount --svg /tmp/switch.svg t:sched:sched_switch  # also an SVG flame graph\n"
	"    stackcount --pprof /tmp/switch.pb.gz t:sched:sched_switch  # also a pprof profile\n"
	"    stackcount -p 185 -U --unwind=dwarf c:malloc  # user stacks of code without frame pointers\n",
	.opts = opts,
	.skeleton = &stackcount_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		{ "skbdrop", "Count kernel stacks of sk_buff drops (book)", { "-K", "t:skb:kfree_skb" },
		  .opts = skbdrop_opts,
		  .spec_kinds = PS_F_TRACEPOINT,
		  .examples =
		  "    skbdrop           # count skb drop stacks until Ctrl-C\n"
		  "    skbdrop -i 5      # print every 5 seconds\n"
		  "    skbdrop -f        # folded stacks, for flame graphs\n" },
		{ "brkstack", "brk() calls counted by user stack and process (book)",
		  { "-U", "-P", "t:syscalls:sys_enter_brk" },
		  .opts = book_opts, .spec_kinds = PS_F_TRACEPOINT,
		  .examples =
		  "    brkstack           # brk() user stacks until Ctrl-C\n"
		  "    brkstack -p 181    # PID 181 only\n" },
		{ "faults", "User page faults counted by user stack and process (book)",
		  { "-U", "-P", "t:exceptions:page_fault_user" },
		  .opts = book_opts, .spec_kinds = PS_F_TRACEPOINT,
		  .examples =
		  "    faults             # page fault user stacks until Ctrl-C\n"
		  "    faults -p 181      # PID 181 only\n" },
		{ "kpages", "Kernel page allocations counted by kernel stack and process (book)",
		  { "-K", "-P", "t:kmem:mm_page_alloc" },
		  .opts = book_opts, .spec_kinds = PS_F_TRACEPOINT,
		  .examples =
		  "    kpages             # page allocation kernel stacks until Ctrl-C\n"
		  "    kpages -i 1        # print every second\n" },
		{ NULL },
	});

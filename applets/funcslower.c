/* funcslower: trace kernel or user function calls slower than a threshold. */
#include <errno.h>
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
#include "funcslower.skel.h"
#include "funcslower.h"

BCCT_SKELETON(funcslower_bpf);

static struct {
	double min_ms, min_us;          /* < 0: not given */
	long nargs;
	bool time, timestamp, folded, user_stack, kernel_stack;
	struct bcct_list functions;
	size_t nspecs, ntargets;
	struct ps_spec spec[BCCT_LIST_MAX];
	struct ps_targets targets[BCCT_LIST_MAX];
	size_t base[BCCT_LIST_MAX];     /* cookie of each function's first target */
	struct ps_progs entry, ret;
	struct bcct_stacks *stacks;
	unsigned long long earliest_ns;
	struct funcslower_bpf *skel;
} o = { .min_ms = -1, .min_us = -1 };

/* BCC takes fractions ("-m 0.5"), rounded to a nanosecond. */
static int parse_ms(const char *arg, void *dest)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || v < 0 || v > 1e12)
		return -1;
	*(double *)dest = v;
	return 0;
}

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	OPT_FUNC_('m', "min-ms", &o.min_ms, "MIN_MS", "minimum duration to trace (ms)", parse_ms),
	OPT_FUNC_('u', "min-us", &o.min_us, "MIN_US", "minimum duration to trace (us)", parse_ms),
	OPT_INT_('a', "arguments", &o.nargs, "ARGUMENTS", "print this many entry arguments, as hex", 0,
		 FUNCSLOWER_MAX_ARGS),
	OPT_FLAG_('T', "time", &o.time, "show HH:MM:SS timestamp"),
	OPT_FLAG_('t', "timestamp", &o.timestamp, "show timestamp in seconds at us resolution"),
	OPT_FLAG_('f', "folded", &o.folded, "output folded format, one line per stack (for flame graphs)"),
	OPT_FLAG_('U', "user-stack", &o.user_stack, "output user stack trace"),
	OPT_FLAG_('K', "kernel-stack", &o.kernel_stack, "output kernel stack trace"),
	STD_STACK_OPTS,
	STD_FILTERS,
	POS_LIST_("function", &o.functions, "function(s) to trace"),
	STD_EBPF,
	OPT_END_,
};

static bool in_us(void)
{
	return o.min_us >= 0 && o.min_ms < 0;
}

/* The function as given on the command line, or the matched name where a pattern matched
 * several. */
static const char *func_name(unsigned long long id)
{
	for (size_t i = 0; i < o.nspecs; i++) {
		if (id < o.base[i] || id >= o.base[i] + o.targets[i].n)
			continue;
		return o.targets[i].n == 1 ? o.functions.v[i] : o.targets[i].v[id - o.base[i]].name;
	}
	return "[unknown]";
}

static void header(void *ctx)
{
	if (o.folded)
		return;
	if (o.time || o.timestamp)
		out_header("%-10s %-14s %-6s %7s %16s %s", "TIME", "COMM", "PID", in_us() ? "LAT(us)" : "LAT(ms)",
			   "RVAL", o.nargs ? "FUNC ARGS" : "FUNC");
	else
		out_header("%-14s %-6s %7s %16s %s", "COMM", "PID", in_us() ? "LAT(us)" : "LAT(ms)", "RVAL",
			   o.nargs ? "FUNC ARGS" : "FUNC");
}

static int frames(int id, bool user, int tgid, const struct bcct_entry_caller *caller,
		  const char *const **names)
{
	int n = bcct_stack_frames(o.stacks, id, user, tgid, caller, names);

	return n < 0 ? 0 : n;
}

/* BCC: kernel frames then user frames, four spaces in; folded "comm;user..;-;kernel.. 1". */
static void print_stacks(const struct funcslower_event *e)
{
	const char *const *kn, *const *un;
	int tgid = e->tgid_pid >> 32;
	int nk = o.kernel_stack ? frames(e->kernel_stack_id, false, 0, NULL, &kn) : 0;
	int nu = o.user_stack ? frames(e->user_stack_id, true, tgid, &e->caller, &un) : 0;

	if (env.json) {
		if (o.kernel_stack)
			json_str_array("kernel_stack", kn, nk);
		if (o.user_stack)
			json_str_array("user_stack", un, nu);
		return;
	}
	if (o.folded) {
		fputs(e->comm, stdout);
		for (int i = nu - 1; i >= 0; i--)
			printf(";%s", un[i]);
		if (nu && nk)
			fputs(";-", stdout);
		for (int i = nk - 1; i >= 0; i--)
			printf(";%s", kn[i]);
		printf(" 1\n");
		return;
	}
	for (int i = 0; i < nk; i++)
		printf("    %s\n", kn[i]);
	for (int i = 0; i < nu; i++)
		printf("    %s\n", un[i]);
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct funcslower_event *e = data;
	bool stacks = o.user_stack || o.kernel_stack;
	char ts[32], args[FUNCSLOWER_MAX_ARGS * 20] = "";

	if (size < sizeof(*e))
		return 0;
	if (o.folded && !env.json) {
		if (stacks)
			print_stacks(e);
		return 0;
	}
	out_event_time(e->start_ns + e->duration_ns);     /* when it returned */
	out_begin();
	if (o.time) {
		out_time_fmt("time", "%-10s");
	} else if (o.timestamp) {
		if (!o.earliest_ns)
			o.earliest_ns = e->start_ns;
		out_float("time_s", "%-10.6f", (e->start_ns - o.earliest_ns) / 1e9);
	}
	out_str("comm", "%-14.14s", e->comm);
	out_int("pid", "%-6lld", (long long)(e->tgid_pid >> 32));
	out_float(in_us() ? "lat_us" : "lat_ms", "%7.2f", e->duration_ns / (in_us() ? 1e3 : 1e6));
	if (env.json)
		out_uint("rval", "", e->retval);
	else
		out_str("rval", "%16s", (snprintf(ts, sizeof(ts), "%llx", e->retval), ts));
	out_str("func", "%s", func_name(e->id));
	if (o.nargs && env.json) {
		json_begin_array("args");
		for (long i = 0; i < o.nargs; i++)
			json_uint(NULL, e->args[i]);
		json_end_array();
	} else if (o.nargs) {
		size_t used = 0;

		for (long i = 0; i < o.nargs; i++)
			used += snprintf(args + used, sizeof(args) - used, "%s0x%llx", i ? " " : "", e->args[i]);
		out_str("args", "%s", args);
	}
	if (env.json && stacks)
		print_stacks(e);
	out_end();
	if (stacks && !env.json)
		print_stacks(e);
	return 0;
}

static int attach(void *ctx)
{
	/* After load: the stack printer needs the loaded map. */
	if (o.user_stack || o.kernel_stack) {
		o.stacks = bcct_stacks_new(o.skel->maps.stacks, &(struct bcct_stack_fmt){
			.kernel = o.kernel_stack, .user = o.user_stack, .folded = o.folded });
		if (!o.stacks)
			return -ENOMEM;
	}
	for (size_t i = 0; i < o.nspecs; i++) {
		int n = ps_attach_pair(&o.spec[i], &o.targets[i], &o.entry, &o.ret, o.base[i]);

		if (n < 0)
			return n;
	}
	return 0;
}

/* Parses and expands every function; o.base[i] numbers the targets over all of them. */
static int expand(void)
{
	for (int i = 0; i < o.functions.n; i++) {
		/* fentry/fexit serve one kernel function: only when it is the only one. */
		unsigned flags = PS_F_FUNCS | (o.functions.n == 1 ? PS_F_FENTRY : 0);
		int err;

		o.nspecs++;
		err = ps_open(o.functions.v[i], flags, env.pid, "no function matched by \"%s\"",
					  false, &o.spec[i], &o.targets[i]);
		if (err)
			return err;
		o.base[i] = o.ntargets;
		o.ntargets += o.targets[i].n;
	}
	/* Without cookies every attachment runs the same program: one function only. */
	if (!bcct_has(FEAT_COOKIE) && o.ntargets > 1 && o.nspecs > 1) {
		bcct_err("%zu functions, and this kernel has no BPF attach cookies (5.15+) to tell them "
			 "apart: trace one at a time", o.nspecs);
		return BCCT_EXIT_FAIL;
	}
	return 0;
}

static int configure(void *p)
{
	struct funcslower_bpf *s = o.skel = p;
	int err = 0;

	s->rodata->min_ns = o.min_ms >= 0 ? (unsigned long long)(o.min_ms * 1e6) :
			    o.min_us >= 0 ? (unsigned long long)(o.min_us * 1e3) : 1000000;
	s->rodata->grab_args = o.nargs > 0;
	s->rodata->user_stacks = o.user_stack;
	s->rodata->kernel_stacks = o.kernel_stack;
	/* Kernel functions' hits read nothing there: their stack pointer is no user address. */
	for (size_t i = 0; i < o.nspecs; i++)
		s->rodata->entry_uprobes |= o.spec[i].kind == PS_UFUNC;
	/* One perf-event link per target: functions of several kinds share these programs; one
	 * uprobe_multi link per user function where the kernel has them; or fentry/fexit for a
	 * single kernel function (ps_prepare decides). */
	o.entry = (struct ps_progs){ .probe = s->progs.entry_probe, .multi = s->progs.entry_multi,
				     .fentry = s->progs.entry_fentry, .label = "entry" };
	o.ret = (struct ps_progs){ .probe = s->progs.return_probe, .multi = s->progs.return_multi,
				   .fentry = s->progs.return_fexit, .label = "return", .ret = true };
	for (size_t i = 0; i < o.nspecs && !err; i++)
		err = ps_prepare_pair(&o.spec[i], &o.targets[i], &o.entry, &o.ret);
	/* One target needs no cookie (and fentry programs cannot read one before 6.0). */
	s->rodata->use_cookie = bcct_has(FEAT_COOKIE) && o.ntargets > 1;
	s->rodata->fentry_nargs = o.entry.use_fentry ? o.entry.fentry_args : o.ret.fentry_args;
	return err;
}

static int run(void)
{
	char banner[128];
	int err;

	if (!o.functions.n) {
		bcct_usage_err("the following arguments are required: function");
		return BCCT_EXIT_USAGE;
	}
	err = expand();
	if (err)
		goto out;
	snprintf(banner, sizeof(banner), "Tracing function calls slower than %g %s... Ctrl+C to quit.",
		 in_us() ? o.min_us : o.min_ms >= 0 ? o.min_ms : 1, in_us() ? "us" : "ms");
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.folded ? NULL : banner,
		.on_start = header,
		.on_event = event,
		.attach = attach,
	});
out:
	bcct_stacks_free(o.stacks);
	for (size_t i = 0; i < o.nspecs; i++)
		ps_close(&o.spec[i], &o.targets[i]);
	o.stacks = NULL;
	o.skel = NULL;
	o.nspecs = o.ntargets = 0;
	o.earliest_ns = 0;
	return err;
}

BCCT_APPLET(funcslower,
	.spec_kinds = PS_F_FUNCS | PS_F_FENTRY,
	.category = "generic/multi-tool",
	.summary = "Trace slow kernel or user function calls.",
	.description =
	"Each function is func (kernel) or lib:func / /path:func (user). Calls taking at least the\n"
	"threshold (default 1 ms; -m 0 shows every call) print one line; -U/-K add stacks under it.\n"
	"A single kernel function is traced with fentry/fexit where the kernel allows, else kprobes.",
	.examples =
	"  funcslower vfs_write        # trace vfs_write calls slower than 1ms\n"
	"  funcslower -m 10 vfs_write  # same, but slower than 10ms\n"
	"  funcslower -u 10 c:open     # trace open calls slower than 10us\n"
	"  funcslower -p 135 c:open    # trace pid 135 only\n"
	"  funcslower c:malloc c:free  # trace both malloc and free slower than 1ms\n"
	"  funcslower -a 2 c:open      # show first two arguments to open\n"
	"  funcslower -UK -m 10 c:open # Show user and kernel stack frame of open calls slower than 10ms\n"
	"  funcslower -f -UK c:open    # Output in folded format for flame graphs\n",
	.opts = opts,
	.skeleton = &funcslower_bpf__skeleton,
	.run = run);

/* funclatency: time functions (entry to return) and print the latency as a histogram. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/probe/probespec.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "funclatency.skel.h"
#include "funclatency.h"

BCCT_SKELETON(funclatency_bpf);

static struct {
	bool usecs, msecs, per_function, regexp;
	long level;
	const char *pattern;
	struct ps_spec spec;
	struct ps_targets targets;
	struct ps_progs entry, ret;
	struct funclatency_bpf *skel;
	bool need_key, key_pid;   /* histogram keyed by function; and by process */
	bool by_ip;               /* kernel functions keyed by kprobe address (no attach cookies) */
} o;

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "summary interval, in seconds", 1, INT_MAX),
	STD_DURATION('d'),
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('u', "microseconds", &o.usecs, "microsecond histogram"),
	OPT_FLAG_('m', "milliseconds", &o.msecs, "millisecond histogram"),
	OPT_FLAG_('F', "function", &o.per_function, "show a separate histogram per function"),
	OPT_FLAG_('r', "regexp", &o.regexp, "use regular expressions. Default is \"*\" wildcards only."),
	OPT_INT_('l', "level", &o.level, "LEVEL", "set the level of nested or recursive functions", 1,
		 FUNCLATENCY_MAX_DEPTH),
	STD_FILTERS,
	POS_STR_("pattern", &o.pattern, "search expression for functions"),
	STD_EBPF,
	OPT_END_,
};

/* The target a histogram belongs to: its index, or where kernel functions are keyed by address
 * (no attach cookies), the target whose code holds it; -1: none. */
static long target_of(const struct funclatency_key *k)
{
	if (o.by_ip)
		return ps_kfunc_target_at(&o.targets, k->ip);
	return k->idx < o.targets.n ? (long)k->idx : -1;
}

static const char *function_name(const struct funclatency_key *k)
{
	long i = target_of(k);

	return i >= 0 ? o.targets.v[i].name : "[unknown]";
}

static const char *unit(void)
{
	return o.msecs ? "msecs" : o.usecs ? "usecs" : "nsecs";
}

/* BCC: "name" for kernel functions, "name [pid]" for user functions. */
static void label(const void *key, char *buf, size_t len)
{
	const struct funclatency_key *k = key;
	const char *name = function_name(k);

	if (o.key_pid)
		snprintf(buf, len, "%s [%u]", name, k->pid);
	else
		snprintf(buf, len, "%s", name);
}

static int by_function(const void *a, const void *b)
{
	const struct funclatency_key *x = a, *y = b;
	long i = target_of(x), j = target_of(y);

	if (i != j)
		return i < j ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* JSON: the label's parts, "function":"malloc","pid":18596. */
static void json_label(const void *key, const char *key_name)
{
	const struct funclatency_key *k = key;

	json_str(key_name, function_name(k));
	if (o.key_pid)
		json_uint("pid", k->pid);
}

/* BCC's "avg = A unit, total: T unit, count: N": the sum is kept in ns and scaled here, both
 * numbers truncated as Python's "%ld" does. */
static void print_avg(void)
{
	struct funclatency_avg a = { 0, 0 }, zero = { 0, 0 };
	unsigned long long div = o.msecs ? 1000000 : o.usecs ? 1000 : 1;
	unsigned int key = 0;

	bpf_map__lookup_elem(o.skel->maps.avg, &key, sizeof(key), &a, sizeof(a), 0);
	bpf_map__update_elem(o.skel->maps.avg, &key, sizeof(key), &zero, sizeof(zero), 0);
	/* floor(floor(t / div) / n) is floor(t / div / n): the integers BCC's "%ld" prints */
	hist_print_summary(unit(), a.total_ns / div, a.count);
}

static int print(void *ctx, bool final)
{
	bool sections = o.skel->rodata->key_func;
	char ts[16];
	int err;

	out_text("\n");
	if (env.timestamp)
		out_text("%-8s\n", sys_time_of_day(ts, sizeof(ts)));
	err = hist_print_map(o.skel->maps.hists, &(struct bcct_hist_print){
		.unit = unit(),
		.section = sections ? "Function" : NULL,
		.label = sections ? label : NULL,
		.json_label = sections ? json_label : NULL,
		.cmp = by_function,
		.clear = true,
	});
	print_avg();
	fflush(stdout);
	return err;
}

static int attach(void *ctx)
{
	int n = ps_attach_pair(&o.spec, &o.targets, &o.entry, &o.ret, 0);

	return n < 0 ? n : 0;
}

static int configure(void *p)
{
	struct funclatency_bpf *skel = o.skel = p;
	int err;

	skel->rodata->key_func = o.need_key;
	skel->rodata->key_pid = o.key_pid;
	skel->rodata->unit_div = o.msecs ? 1000000 : o.usecs ? 1000 : 1;
	skel->rodata->max_depth = o.level;
	/* Only the entry tells targets apart (the return reads what the entry stored), and only
	 * for one histogram per function. */
	o.entry = (struct ps_progs){ .probe = skel->progs.entry_probe,
					  .multi = skel->progs.entry_multi,
					  .fentry = skel->progs.entry_fentry, .label = "entry",
					  .shared = !o.need_key, .kfunc_by_ip = o.need_key };
	o.ret = (struct ps_progs){ .probe = skel->progs.return_probe,
					.multi = skel->progs.return_multi,
					.fentry = skel->progs.return_fexit, .label = "return",
					.ret = true, .shared = true };
	err = ps_prepare_pair(&o.spec, &o.targets, &o.entry, &o.ret);
	if (err)
		return err;
	/* One target needs no cookie (and fentry programs cannot read one before 6.0). */
	skel->rodata->use_cookie = bcct_has(FEAT_COOKIE) && o.targets.n > 1;
	o.by_ip = skel->rodata->idx_by_ip = ps_keys_by_ip(&o.spec, &o.targets, &o.entry);
	return 0;
}

static int run(void)
{
	char banner[4096];
	int err;

	if (!o.pattern) {
		bcct_usage_err("the following arguments are required: pattern");
		return BCCT_EXIT_USAGE;
	}
	err = ps_open(o.pattern, PS_F_FUNCS | PS_F_FENTRY |
				  (o.regexp ? PS_F_REGEX : 0), env.pid, "0 functions matched by \"%s\"",
				  false, &o.spec, &o.targets);
	if (err)
		goto out;
	/* BCC keys the histogram by function with -F, and by function and process for user
	 * functions traced in every process. */
	o.need_key = o.per_function || (o.spec.kind == PS_UFUNC && !env.pid);
	o.key_pid = o.need_key && o.spec.kind == PS_UFUNC;

	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = ps_banner(banner, sizeof(banner), o.pattern, &o.targets),
		.attach = attach,
		.on_interval = print,
		.on_exit = ps_detaching,
	});
out:
	o.skel = NULL;
	ps_close(&o.spec, &o.targets);
	return err;
}

BCCT_APPLET(funclatency,
	.spec_kinds = PS_F_FUNCS | PS_F_FENTRY,
	.category = "generic/multi-tool",
	.summary = "Time functions and print latency as a histogram",
	.description =
	"The pattern is func (kernel function) or lib:func / /path:func (user function), with \"*\"\n"
	"wildcards (or -r regular expressions). -l LEVEL times up to LEVEL nested calls per thread.\n"
	"One kernel function is timed with fentry/fexit where the kernel allows, else with kprobes.",
	.examples =
	"    funclatency do_sys_open       # time the do_sys_open() kernel function\n"
	"    funclatency c:read            # time the read() C library function\n"
	"    funclatency -u vfs_read       # time vfs_read(), in microseconds\n"
	"    funclatency -m do_nanosleep   # time do_nanosleep(), in milliseconds\n"
	"    funclatency -i 2 -d 10 c:open # output every 2 seconds, for duration 10s\n"
	"    funclatency -mTi 5 vfs_read   # output every 5 seconds, with timestamps\n"
	"    funclatency -p 181 vfs_read   # time process 181 only\n"
	"    funclatency 'vfs_fstat*'      # time both vfs_fstat() and vfs_fstatat()\n"
	"    funclatency 'c:*printf'       # time the *printf family of functions\n"
	"    funclatency -F 'vfs_r*'       # show one histogram per matched function\n",
	.opts = opts,
	.skeleton = &funclatency_bpf__skeleton,
	.run = run);

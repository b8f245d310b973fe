/* ucalls: method calls of a language runtime (and/or its syscalls) counted in the kernel, with
 * optional latency, as BCC's ucalls; the *calls wrappers are its aliases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "ucalls.skel.h"
#include "ucalls.h"

BCCT_SKELETON(ucalls_bpf);

static struct {
	const char *language;
	long top;
	bool latency, syscalls, ms;
	const struct rt_lang *lang;
	struct rt_calls_via via;
} o;

#define OPTS_COMMON(...)                                                                     \
	RT_OPT_PID,                           \
	STD_INTERVAL,                                                                             \
	__VA_ARGS__                                                                                  \
	OPT_INT_('T', "top", &o.top, "TOP", "number of most frequent/slow calls to print", 1, INT_MAX), \
	OPT_FLAG_('L', "latency", &o.latency, "record method latency from enter to exit (except recursive calls)"), \
	OPT_FLAG_('S', "syscalls", &o.syscalls, "record syscall latency (adds overhead)"),         \
	OPT_FLAG_('m', "milliseconds", &o.ms, "report times in milliseconds (default is microseconds)"), \
	STD_FILTERS,                                                                              \
	STD_EBPF,                                                                                 \
	OPT_END_

static const struct bcct_opt opts[] = {
	OPTS_COMMON(OPT_STR_('l', "language", &o.language, "LANGUAGE",
			     "language to trace: java, perl, php, python, ruby, tcl (if none, trace syscalls only)"),)
};
/* The wrappers (pythoncalls = ucalls -l python): BCC's, without -l. */
static const struct bcct_opt wrapper_opts[] = { OPTS_COMMON() };

/* bcct_map_collect's layouts. */
struct call_row {
	struct rt_method key;
	struct ucalls_info val __attribute__((aligned(8)));
};
struct sys_row {
	unsigned int key;
	struct ucalls_info val __attribute__((aligned(8)));
};

/* A row of either map: the name and its figures. */
struct row {
	const struct rt_method *m;
	unsigned int nr;
	struct ucalls_info v;
};

/* BCC sorts ascending by count (by time with -L) and prints the last -T. */
static int by_value(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	unsigned long long vx = o.latency ? x->v.total_ns : x->v.calls;
	unsigned long long vy = o.latency ? y->v.total_ns : y->v.calls;

	return vx < vy ? -1 : vx > vy;
}

static void print_row(const struct row *r)
{
	char name[2 * RT_STR_LEN + 2], nr[24];
	const char *sys;

	out_begin();
	if (r->m) {
		snprintf(name, sizeof(name), "%s.%s", r->m->clazz, r->m->method);
		if (env.json) {
			out_str("class", "", r->m->clazz);
			out_str("method", "", r->m->method);
		} else {
			out_str("method", "%-50s", name);
		}
	} else {
		snprintf(nr, sizeof(nr), "%u", r->nr);
		sys = sys_syscall_name(r->nr);
		out_str("syscall", "%-50s", sys ? sys : nr);
	}
	out_uint("calls", "%8llu", r->v.calls);
	if (o.latency && env.json)
		out_uint("total_ns", "", r->v.total_ns);
	else if (o.latency)
		out_float(o.ms ? "time_ms" : "time_us", "%6.2f", r->v.total_ns / (o.ms ? 1e6 : 1e3));
	out_end();
}

static int print(void *ctx, bool final)
{
	struct ucalls_bpf *skel = ctx;
	struct bcct_entries calls = { 0 }, sys = { 0 };
	struct row *rows;
	size_t n = 0, first = 0;

	if (bcct_map_collect(skel->maps.calls, &calls) < 0 ||
	    (o.syscalls && bcct_map_collect(skel->maps.syscalls, &sys) < 0)) {
		bcct_entries_free(&calls);
		return -1;
	}
	rows = calloc(calls.n + sys.n + 1, sizeof(*rows));
	if (!rows) {
		bcct_entries_free(&calls);
		bcct_entries_free(&sys);
		return -1;
	}
	for (size_t i = 0; i < calls.n; i++) {
		const struct call_row *c = bcct_entry_key(&calls, i);

		rows[n++] = (struct row){ &c->key, 0, c->val };
	}
	for (size_t i = 0; i < sys.n; i++) {
		const struct sys_row *s = bcct_entry_key(&sys, i);

		rows[n++] = (struct row){ NULL, s->key, s->val };
	}
	qsort(rows, n, sizeof(*rows), by_value);
	if (o.top && (size_t)o.top < n)
		first = n - o.top;
	out_text("\n");
	if (o.latency)
		out_header("%-50s %8s %8s", "METHOD", "# CALLS", o.ms ? "TIME (ms)" : "TIME (us)");
	else
		out_header("%-50s %8s", "METHOD", "# CALLS");
	out_list("rows");
	for (size_t i = first; i < n; i++)
		print_row(&rows[i]);
	free(rows);
	bcct_entries_free(&calls);
	bcct_entries_free(&sys);
	bcct_map_clear(skel->maps.calls);
	if (o.syscalls)
		bcct_map_clear(skel->maps.syscalls);
	return 0;
}

static int configure(void *p)
{
	struct ucalls_bpf *skel = p;

	skel->rodata->latency = o.latency;
	skel->rodata->py_layout = o.via.layout;
	bpf_program__set_autoload(skel->progs.call_entry_usdt, o.lang && !o.via.eval && o.latency);
	bpf_program__set_autoload(skel->progs.call_return_usdt, o.lang && !o.via.eval);
	bpf_program__set_autoload(skel->progs.eval_entry_uprobe, o.via.eval);
	bpf_program__set_autoload(skel->progs.eval_return_uretprobe, o.via.eval && o.latency);
	bcct_probe_enable(skel, "sys_enter", o.syscalls);
	bcct_probe_enable(skel, "sys_exit", o.syscalls && o.latency);
	return rt_eval_size_maps(skel, &o.via);
}

static int attach(void *ctx)
{
	struct ucalls_bpf *skel = ctx;
	int err;

	if (!o.lang)
		return 0;
	if (o.via.eval)
		return rt_eval_attach(env.pid, &o.via, skel->progs.eval_entry_uprobe,
				      o.latency ? skel->progs.eval_return_uretprobe : NULL);
	for (int i = 0; i < RT_MAX_CALLS && o.lang->calls[i].entry; i++) {
		const struct rt_call_probes *c = &o.lang->calls[i];
		unsigned long long cookie = rt_call_cookie(c);

		/* BCC's ucalls traces ruby's method probes only; cmethod ones are a second pair */
		err = rt_attach(skel->progs.call_return_usdt, env.pid, o.lang, c->ret, cookie, i == 0);
		if (!err && o.latency)
			err = rt_attach(skel->progs.call_entry_usdt, env.pid, o.lang, c->entry, cookie,
					i == 0);
		if (err && i == 0)
			return BCCT_EXIT_FAIL;
	}
	return 0;
}

static void start(void *ctx)
{
	if (o.syscalls)
		out_text("Attached kernel tracepoints for syscall tracing.\n");
	out_text("Tracing calls in process %ld (language: %s)... Ctrl-C to quit.\n", env.pid,
		 o.lang ? o.lang->name : "none");
	if (o.lang && o.lang->hint)
		out_text("%s\n", o.lang->hint);
}

static void detaching(void *ctx)
{
	if (o.syscalls)
		out_text("Detaching kernel probes, please wait...\n");
}

static int run(void)
{
	int err = rt_engine_target(o.language, RT_NEED_CALLS, true, &o.lang);

	if (!err && o.lang)
		err = rt_calls_plan(env.pid, o.lang, &o.via);
	if (err)
		return err;
	if (!o.lang && !o.syscalls) {
		out_text("Nothing to do; use -S to trace syscalls.\n");
		return BCCT_EXIT_FAIL;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = start,
		.on_interval = print,
		.on_exit = detaching,
	});
}

#define CALLS_ALIAS(lang, what, ...)                                                               \
	{ #lang "calls", "Summarize " what " calls in " #lang " (ucalls -l " #lang ")",            \
	  { "-l", #lang }, .opts = wrapper_opts,                                                    \
	  .examples = "    " #lang "calls 2020       # trace calls in process 2020, print at Ctrl-C\n" \
		      "    " #lang "calls -L 2020 1  # with latency, print every second\n", __VA_ARGS__ }

BCCT_APPLET(ucalls,
	.category = "language runtime",
	.summary = "Summarize method calls in high-level languages",
	.description = RT_EVAL_HELP,
	.fallback = RT_EVAL_FALLBACK,
	.falls_back = rt_eval_used,
	.examples =
	"    ucalls -l java 185        # trace Java calls and print statistics on ^C\n"
	"    ucalls -l python 2020 1   # trace Python calls and print every second\n"
	"    ucalls -l java 185 -S     # trace Java calls and syscalls\n"
	"    ucalls 6712 -S            # trace only syscall counts\n"
	"    ucalls -l ruby 1344 -T 10 # trace top 10 Ruby method calls\n"
	"    ucalls -l ruby 1344 -L    # trace Ruby calls including latency\n"
	"    ucalls -l php 443 -LS     # trace PHP calls and syscalls with latency\n"
	"    ucalls -l python 2020 -mL # trace Python calls including latency in ms\n",
	.opts = opts,
	.skeleton = &ucalls_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		CALLS_ALIAS(java, "method"),
		CALLS_ALIAS(perl, "sub"),
		CALLS_ALIAS(php, "function"),
		CALLS_ALIAS(python, "function", .description = RT_EVAL_HELP),
		CALLS_ALIAS(ruby, "method"),
		CALLS_ALIAS(tcl, "proc"),
		{ NULL },
	});

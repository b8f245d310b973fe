/* uflow: method entries and returns of a language runtime, indented by call depth per thread,
 * as BCC's uflow; the *flow wrappers are its aliases. Events: lost ones are reported by core. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "uflow.skel.h"
#include "uflow.h"

BCCT_SKELETON(uflow_bpf);

static struct {
	const char *language, *method, *clazz;
	const struct rt_lang *lang;
	struct rt_calls_via via;
	unsigned long long start_ns;
} o;

#define UFLOW_OPTS(...)                                                                      \
	__VA_ARGS__                                                                                  \
	RT_OPT_PID,                           \
	OPT_STR_('M', "method", &o.method, "METHOD", "trace only calls to methods starting with this prefix"), \
	OPT_STR_('C', "class", &o.clazz, "CLAZZ", "trace only calls to classes starting with this prefix"), \
	STD_FILTERS,                                                                              \
	STD_EBPF,                                                                                 \
	OPT_END_

static const struct bcct_opt opts[] = {
	UFLOW_OPTS(OPT_STR_('l', "language", &o.language, "LANGUAGE",
			    "language to trace: java, perl, php, python, ruby, tcl"),)
};
static const struct bcct_opt wrapper_opts[] = { UFLOW_OPTS() };

static void header(void *ctx)
{
	out_text("Tracing method calls in %s process %ld... Ctrl-C to quit.\n", o.lang->name, env.pid);
	out_header("%-3s %-6s %-6s %-8s %s", "CPU", "PID", "TID", "TIME(us)", "METHOD");
	o.start_ns = bcct_now_ns();
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct uflow_event *e = data;
	unsigned long long depth = e->depth & ~UFLOW_RETURN;
	bool ret = e->depth & UFLOW_RETURN;
	char flow[2 * 64 + 8 + 2 * RT_STR_LEN];
	int indent = depth > 64 ? 64 : (int)depth - 1;

	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts);
	out_begin();
	out_int("cpu", "%-3lld", e->cpu);
	out_int("pid", "%-6lld", e->pid);
	out_int("tid", "%-6lld", e->tid);
	/* BCC's TIME(us) column holds seconds since the start */
	out_float("time_s", "%-8.3f", e->ts > o.start_ns ? (e->ts - o.start_ns) / 1e9 : 0);
	if (env.json) {
		out_int("depth", "", (long long)depth);
		out_str("direction", "", ret ? "return" : "entry");
		out_str("class", "", e->m.clazz);
		out_str("method", "", e->m.method);
	} else {
		snprintf(flow, sizeof(flow), "%*s%s%s.%s", indent > 0 ? 2 * indent : 0, "",
			 ret ? "<- " : "-> ", e->m.clazz, e->m.method);
		out_str("method", "%-40s", flow);
	}
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct uflow_bpf *skel = p;

	snprintf((char *)skel->rodata->class_prefix, RT_STR_LEN, "%s", o.clazz ? o.clazz : "");
	snprintf((char *)skel->rodata->method_prefix, RT_STR_LEN, "%s", o.method ? o.method : "");
	skel->rodata->py_layout = o.via.layout;
	bpf_program__set_autoload(skel->progs.call_usdt, !o.via.eval);
	bpf_program__set_autoload(skel->progs.eval_entry_uprobe, o.via.eval);
	bpf_program__set_autoload(skel->progs.eval_return_uretprobe, o.via.eval);
	return rt_eval_size_maps(skel, &o.via);
}

static int attach(void *ctx)
{
	struct uflow_bpf *skel = ctx;

	if (o.via.eval)
		return rt_eval_attach(env.pid, &o.via, skel->progs.eval_entry_uprobe,
				      skel->progs.eval_return_uretprobe);
	for (int i = 0; i < RT_MAX_CALLS && o.lang->calls[i].entry; i++) {
		const struct rt_call_probes *c = &o.lang->calls[i];
		unsigned long long cookie = rt_call_cookie(c);
		const char *entry = c->flow_entry ? c->flow_entry : c->entry;

		if (rt_attach(skel->progs.call_usdt, env.pid, o.lang, entry, cookie, true) ||
		    rt_attach(skel->progs.call_usdt, env.pid, o.lang, c->ret,
			      cookie | RT_COOKIE_SET(RT_CK_EXTRA, 1), true))
			return BCCT_EXIT_FAIL;
	}
	return 0;
}

static int run(void)
{
	int err = rt_engine_target(o.language, RT_NEED_CALLS, false, &o.lang);

	if (!err)
		err = rt_calls_plan(env.pid, o.lang, &o.via);
	if (err)
		return err;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = on_event,
		/* an event per call: 2 MiB per CPU holds ~10,000 before the reader must run */
		.perf_pages = 512,
	});
}

#define FLOW_ALIAS(lang, what, ...)                                                                  \
	{ #lang "flow", "Trace " what " execution flow in " #lang " (uflow -l " #lang ")",           \
	  { "-l", #lang }, .opts = wrapper_opts,                                                    \
	  .examples = "    " #lang "flow 185             # trace calls in process 185\n"             \
		      "    " #lang "flow -M index 185    # only methods starting with 'index'\n", __VA_ARGS__ }

BCCT_APPLET(uflow,
	.category = "language runtime",
	.summary = "Trace method execution flow in high-level languages",
	.description = RT_EVAL_HELP,
	.fallback = RT_EVAL_FALLBACK,
	.falls_back = rt_eval_used,
	.examples =
	"    uflow -l java 185                # trace Java method calls in process 185\n"
	"    uflow -l ruby 134                # trace Ruby method calls in process 134\n"
	"    uflow -M indexOf -l java 185     # trace only 'indexOf'-prefixed methods\n"
	"    uflow -C '<stdin>' -l python 180 # trace only REPL-defined methods\n",
	.opts = opts,
	.skeleton = &uflow_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		FLOW_ALIAS(java, "method"),
		FLOW_ALIAS(perl, "sub"),
		FLOW_ALIAS(php, "function"),
		FLOW_ALIAS(python, "function", .description = RT_EVAL_HELP),
		FLOW_ALIAS(ruby, "method"),
		FLOW_ALIAS(tcl, "proc"),
		{ NULL },
	});

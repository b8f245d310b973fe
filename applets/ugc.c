/* ugc: garbage collections of a language runtime with their duration and description, as BCC's
 * ugc; javagc, nodegc, pythongc and rubygc are its aliases. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "ugc.skel.h"
#include "ugc.h"

BCCT_SKELETON(ugc_bpf);

static struct {
	const char *language, *filter;
	bool ms;
	long minimum;
	const struct rt_lang *lang;
	unsigned long long start_ns;
} o;

#define UGC_OPTS(...)                                                                        \
	__VA_ARGS__                                                                                  \
	RT_OPT_PID,                           \
	OPT_FLAG_('m', "milliseconds", &o.ms, "report times in milliseconds (default is microseconds)"), \
	OPT_INT_('M', "minimum", &o.minimum, "MINIMUM", "display only GCs longer than this many milliseconds", 0, INT_MAX), \
	OPT_STR_('F', "filter", &o.filter, "FILTER", "display only GCs whose description contains this text"), \
	STD_FILTERS,                                                                              \
	STD_EBPF,                                                                                 \
	OPT_END_

static const struct bcct_opt opts[] = {
	UGC_OPTS(OPT_STR_('l', "language", &o.language, "LANGUAGE",
			  "language to trace: java, node, python, ruby"),)
};
static const struct bcct_opt wrapper_opts[] = { UGC_OPTS() };

static void header(void *ctx)
{
	out_text("Tracing garbage collections in %s process %ld... Ctrl-C to quit.\n", o.lang->name,
		 env.pid);
	out_header("%-8s %-8s %-40s", "START", o.ms ? "TIME (ms)" : "TIME (us)", "DESCRIPTION");
	o.start_ns = bcct_now_ns();
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct ugc_event *e = data;
	char desc[2 * RT_STR_LEN + 96], s1[RT_STR_LEN + 1], s2[RT_STR_LEN + 1];

	if (size < sizeof(*e) || e->index >= RT_MAX_GC || !o.lang->gc[e->index].begin)
		return 0;
	snprintf(s1, sizeof(s1), "%.*s", RT_STR_LEN, e->str1);
	snprintf(s2, sizeof(s2), "%.*s", RT_STR_LEN, e->str2);
	rt_gc_describe(&o.lang->gc[e->index], e->field, s1, s2, desc, sizeof(desc));
	if (o.filter && !strstr(desc, o.filter))
		return 0;
	out_event_time(e->ts);
	out_begin();
	out_float("time_s", "%-8.3f", e->ts > o.start_ns ? (e->ts - o.start_ns) / 1e9 : 0);
	if (env.json)
		out_uint("elapsed_ns", "", e->elapsed_ns);
	else
		out_float(o.ms ? "time_ms" : "time_us", "%-8.2f", e->elapsed_ns / (o.ms ? 1e6 : 1e3));
	out_str("description", "%s", desc);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct ugc_bpf *skel = p;

	skel->rodata->min_ns = (unsigned long long)o.minimum * 1000000;
	return 0;
}

static int attach(void *ctx)
{
	struct ugc_bpf *skel = ctx;

	for (int i = 0; i < RT_MAX_GC && o.lang->gc[i].begin; i++) {
		const struct rt_gc_probes *g = &o.lang->gc[i];
		unsigned long long index = RT_COOKIE_SET(UGC_CK_INDEX, i);
		/* begin: its numbers, and the pool pointer that pairs it with its end */
		unsigned long long begin = index | RT_COOKIE_SET(UGC_CK_NUM1, g->begin_args[0]) |
					   RT_COOKIE_SET(UGC_CK_NUM2, g->begin_args[1]) |
					   RT_COOKIE_SET(UGC_CK_STR2, g->end_strs[1].ptr);
		unsigned long long end = index | RT_COOKIE_SET(UGC_CK_NUM1, g->end_args[0]) |
					 RT_COOKIE_SET(UGC_CK_NUM2, g->end_args[1]) |
					 RT_COOKIE_SET(UGC_CK_STR1, g->end_strs[0].ptr) |
					 RT_COOKIE_SET(UGC_CK_STR1_LEN, g->end_strs[0].len) |
					 RT_COOKIE_SET(UGC_CK_STR2, g->end_strs[1].ptr) |
					 RT_COOKIE_SET(UGC_CK_STR2_LEN, g->end_strs[1].len);

		if (rt_attach(skel->progs.gc_begin_usdt, env.pid, o.lang, g->begin, begin, true) ||
		    rt_attach(skel->progs.gc_end_usdt, env.pid, o.lang, g->end, end, true))
			return BCCT_EXIT_FAIL;
	}
	return 0;
}

static int run(void)
{
	int err = rt_engine_target(o.language, RT_NEED_GC, false, &o.lang);

	if (err)
		return err;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = on_event,
	});
}

#define GC_ALIAS(lang)                                                                           \
	{ #lang "gc", "Summarize garbage collection events in " #lang " (ugc -l " #lang ")",        \
	  { "-l", #lang }, .opts = wrapper_opts,                                                    \
	  .examples = "    " #lang "gc 185         # trace GCs in process 185\n"                     \
		      "    " #lang "gc -M 10 185   # only GCs longer than 10 ms\n" }

BCCT_APPLET(ugc,
	.category = "language runtime",
	.summary = "Summarize garbage collection events in high-level languages",
	.examples =
	"    ugc -l java 185        # trace Java GCs in process 185\n"
	"    ugc -l ruby 1344 -m    # trace Ruby GCs reporting in ms\n"
	"    ugc -M 10 -l java 185  # trace only Java GCs longer than 10ms\n",
	.opts = opts,
	.skeleton = &ugc_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		GC_ALIAS(java),
		GC_ALIAS(node),
		GC_ALIAS(python),
		GC_ALIAS(ruby),
		{ NULL },
	});

/* ustat: per-process rates of method calls, GCs, allocations, class loads, exceptions and thread
 * starts in every process of the known language runtimes, top-style, as BCC's ustat; javastat,
 * nodestat, perlstat, phpstat, pythonstat, rubystat and tclstat are its aliases. Processes are
 * found by name at start and again every interval, and their probes attached once each. */
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
#include "core/top.h"
#include "ustat.skel.h"
#include "ustat.h"

BCCT_SKELETON(ustat_bpf);

#define MAX_TARGETS 1024

struct target {
	pid_t pid;
	char cmdline[256];              /* the text shows its first 20 characters, as BCC */
	unsigned long long count[RT_STAT_MAX];
};

static struct {
	const char *language;
	bool debug;
	const struct rt_lang *lang;
	struct ustat_bpf *skel;
	struct target *targets;
	size_t n;
} o;

#define USTAT_OPTS(...)                                                                      \
	__VA_ARGS__                                                                                  \
	TOP_NOCLEAR,                                                                              \
	TOP_SORT('S', "sort by this field (descending order): cload, excp, gc, method, objnew, thread"), \
	TOP_MAXROWS,                                                                              \
	OPT_FLAG_('d', "debug", &o.debug, "print the processes attached to"),                     \
	STD_INTERVAL,                                                                             \
	STD_COUNT,                                                                                \
	STD_FILTERS,                                                                              \
	STD_EBPF,                                                                                 \
	OPT_END_

static const struct bcct_opt opts[] = {
	USTAT_OPTS(OPT_STR_('l', "language", &o.language, "LANGUAGE",
			    "language to trace: java, node, perl, php, python, ruby, tcl (default: all languages)"),)
};
static const struct bcct_opt wrapper_opts[] = { USTAT_OPTS() };

static int by_pid(const void *a, const void *b)
{
	const struct target *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

#define BY_COL(name, col)                                                                        \
	static int by_##name(const void *a, const void *b)                                      \
	{ return top_larger_first(((const struct target *)a)->count[col],                       \
				  ((const struct target *)b)->count[col]); }
BY_COL(cload, RT_STAT_CLOAD)
BY_COL(excp, RT_STAT_EXCP)
BY_COL(gc, RT_STAT_GC)
BY_COL(method, RT_STAT_METHOD)
BY_COL(objnew, RT_STAT_OBJNEW)
BY_COL(thread, RT_STAT_THREAD)

static void row(void *ctx, const void *entry)
{
	const struct target *t = entry;
	long interval = env.interval ? env.interval : 1;

	out_begin();
	out_int("pid", "%-6lld", t->pid);
	out_str("cmdline", "%-20.20s", t->cmdline);
	out_uint("method_per_s", "%-10llu", t->count[RT_STAT_METHOD] / interval);
	out_uint("gc_per_s", "%-6llu", t->count[RT_STAT_GC] / interval);
	out_uint("objnew_per_s", "%-10llu", t->count[RT_STAT_OBJNEW] / interval);
	out_uint("cload_per_s", "%-8llu", t->count[RT_STAT_CLOAD] / interval);
	out_uint("excp_per_s", "%-6llu", t->count[RT_STAT_EXCP] / interval);
	out_uint("thread_per_s", "%-6llu", t->count[RT_STAT_THREAD] / interval);
	out_end();
}

static const struct bcct_top display = {
	.sorts = (const struct bcct_top_sort[]){
		{ "pid", by_pid }, { "cload", by_cload }, { "excp", by_excp }, { "gc", by_gc },
		{ "method", by_method }, { "objnew", by_objnew }, { "thread", by_thread }, { NULL },
	},
	.title = top_title_loadavg,
	.header = "PID    CMDLINE              METHOD/s   GC/s   OBJNEW/s   CLOAD/s  EXC/s  THR/s ",
	.row = row,
};

/* A process found by name: its probes attached (those its runtime has), once. */
static void add_target(pid_t pid, const struct rt_lang *l, void *arg)
{
	struct rt_calls_via via;
	struct target *t;
	char path[64];
	char *cmd;
	size_t len = 0;
	int attached = 0;

	for (size_t i = 0; i < o.n; i++)
		if (o.targets[i].pid == pid)
			return;
	if (o.n >= MAX_TARGETS)
		return;
	for (int i = 0; i < RT_MAX_STAT && l->stat[i].probe; i++)
		attached += !rt_attach(o.skel->progs.event_usdt, pid, l, l->stat[i].probe,
				       l->stat[i].col, false);
	if (rt_eval_via(pid, l, &via) > 0 &&
	    !bcct_attach_uprobe(o.skel->progs.method_eval_uprobe, false, pid, via.binary, via.func, 0)) {
		attached++;
		bcct_info("%d: no USDT probes in %s; METHOD/s counts %s, calls entered from C", (int)pid,
			  via.binary, via.func);
	}
	if (!attached) {
		bcct_info("failed to instrument %d", (int)pid);
		return;
	}
	t = &o.targets[o.n++];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((cmd = sys_read_file(path, sizeof(t->cmdline) - 1, &len))) {
		for (size_t i = 0; i < len; i++)   /* arguments one space apart, as BCC */
			t->cmdline[i] = cmd[i] ? cmd[i] : ' ';
		while (len && t->cmdline[len - 1] == ' ')
			t->cmdline[--len] = 0;
		free(cmd);
	}
	if (o.debug)
		out_text("Attached to %s process: %d\n", l->name, (int)pid);
}

static int attach(void *ctx)
{
	o.skel = ctx;
	o.targets = calloc(MAX_TARGETS, sizeof(*o.targets));
	if (!o.targets)
		return -ENOMEM;
	rt_processes(o.lang, add_target, NULL);
	return 0;
}

static int show(void *ctx, bool final)
{
	struct bcct_entries rows = { .n = o.n, .key_size = sizeof(struct target),
				     .stride = sizeof(struct target) };
	struct bcct_entries e;

	if (bcct_map_collect(o.skel->maps.counts, &e) < 0)
		return -1;
	for (size_t i = 0; i < o.n; i++)
		memset(o.targets[i].count, 0, sizeof(o.targets[i].count));
	for (size_t i = 0; i < e.n; i++) {
		const struct ustat_key *k = bcct_entry_key(&e, i);
		const unsigned long long *v = bcct_entry_value(&e, i);

		for (size_t j = 0; j < o.n && k->col < RT_STAT_MAX; j++)
			if (o.targets[j].pid == (pid_t)k->pid)
				o.targets[j].count[k->col] += *v;
	}
	bcct_entries_free(&e);
	bcct_map_clear(o.skel->maps.counts);
	rows.data = (unsigned char *)o.targets;
	top_show(&display, ctx, &rows);
	if (final)
		out_text("Detaching...\n");
	else
		rt_processes(o.lang, add_target, NULL);   /* processes started since */
	return 0;
}

static int run(void)
{
	if (o.language && !(o.lang = rt_lang_option(o.language, RT_NEED_STAT)))
		return BCCT_EXIT_USAGE;
	return top_run(&display, &(struct bcct_run){
		.attach = attach,
		.on_interval = show,
	});
}

#define STAT_ALIAS(lang, ...)                                                                        \
	{ #lang "stat", "Activity stats from " #lang " processes (ustat -l " #lang ")",              \
	  { "-l", #lang }, .opts = wrapper_opts,                                                    \
	  .examples = "    " #lang "stat          # stats, 1 second refresh\n"                      \
		      "    " #lang "stat -C 5 10  # 5 second summaries, 10 times, no clearing\n", __VA_ARGS__ }

BCCT_APPLET(ustat,
	.category = "language runtime",
	.summary = "Activity stats from high-level languages",
	.description = RT_EVAL_HELP,
	.examples =
	"    ustat              # stats for all languages, 1 second refresh\n"
	"    ustat -C           # don't clear the screen\n"
	"    ustat -l java      # Java processes only\n"
	"    ustat 5            # 5 second summaries\n"
	"    ustat 5 10         # 5 second summaries, 10 times only\n",
	.opts = opts,
	.skeleton = &ustat_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		STAT_ALIAS(java),
		STAT_ALIAS(node),
		STAT_ALIAS(perl),
		STAT_ALIAS(php),
		STAT_ALIAS(python, .description = RT_EVAL_HELP),
		STAT_ALIAS(ruby),
		STAT_ALIAS(tcl),
		{ NULL },
	});

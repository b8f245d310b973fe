/* uthreads: thread creation in a process (pthread_create, and a runtime's own thread start/stop
 * probes: java's), as BCC's uthreads; javathreads is its alias. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "symbolize/demangle.h"
#include "symbolize/symbolize.h"
#include "uthreads.skel.h"
#include "uthreads.h"

BCCT_SKELETON(uthreads_bpf);

static struct {
	const char *language;
	const struct rt_lang *lang;     /* NULL: pthreads only (-l none, or c) */
	bool none;
	struct sym_proc *syms;
	unsigned long long start_ns;
} o;

#define UTHREADS_OPTS(...)                                                                   \
	__VA_ARGS__                                                                                  \
	RT_OPT_PID,                           \
	STD_FILTERS,                                                                              \
	STD_EBPF,                                                                                 \
	OPT_END_

static const struct bcct_opt opts[] = {
	UTHREADS_OPTS(OPT_STR_('l', "language", &o.language, "LANGUAGE",
			       "language to trace: c, java (none for pthreads only)"),)
};
static const struct bcct_opt wrapper_opts[] = { UTHREADS_OPTS() };

static void header(void *ctx)
{
	out_text("Tracing thread events in process %ld (language: %s)... Ctrl-C to quit.\n", env.pid,
		 o.none ? "none" : o.lang->name);
	out_header("%-8s %-16s %-8s %-30s", "TIME", "ID", "TYPE", "DESCRIPTION");
	o.start_ns = bcct_now_ns();
}

static int on_event(void *ctx, const void *data, size_t size)
{
	static const char *const types[] = { "pthread", "start", "stop" };
	const struct uthreads_event *e = data;
	char id[48], desc[1280], demangled[1024];
	struct bcct_sym s = { 0 };

	if (size < sizeof(*e) || e->type > UTHREADS_STOP)
		return 0;
	if (e->type == UTHREADS_PTHREAD) {
		/* the start routine, as BCC's bpf.sym(addr, pid, show_module=True) */
		if (!o.syms)
			o.syms = sym_proc_open(e->pid);
		if (o.syms && sym_user(o.syms, e->runtime_id, &s)) {
			/* demangled, as BCC's sym() by default */
			if (sym_is_mangled(s.name))
				s.name = sym_demangle(s.name, demangled, sizeof(demangled));
			sym_format_ex(&s, true, SYM_FMT_MODULE, desc, sizeof(desc));
		}
		else
			snprintf(desc, sizeof(desc), "[unknown]");
		snprintf(id, sizeof(id), "%llu", e->native_id);
	} else {
		snprintf(desc, sizeof(desc), "%.*s", RT_STR_LEN, e->name);
		snprintf(id, sizeof(id), "R=%llu/N=%llu", e->runtime_id, e->native_id);
	}
	out_event_time(e->ts);
	out_begin();
	out_float("time_s", "%-8.3f", e->ts > o.start_ns ? (e->ts - o.start_ns) / 1e9 : 0);
	if (env.json) {
		if (e->type != UTHREADS_PTHREAD)
			out_uint("runtime_id", "", e->runtime_id);
		out_uint("native_id", "", e->native_id);
	} else {
		out_str("id", "%-16s", id);
	}
	out_str("type", "%-8s", types[e->type]);
	out_str("description", "%-30s", desc);
	out_end();
	return 0;
}

static int attach(void *ctx)
{
	struct uthreads_bpf *skel = ctx;
	const struct rt_thread_probes *t = o.lang ? &o.lang->threads : NULL;
	struct sys_library lib;
	int err;
	/* every language: the process's pthreads; a runtime with its own thread probes is traced
	 * without them when it has no C library to put the uprobe on (a static program) */
	bool own = t && t->stop;

	err = sys_library_open(&lib, env.pid, "c", false);
	if (!err) {
		err = bcct_attach_uprobe(skel->progs.pthread_create_uprobe, false, env.pid,
					 lib.attach, "pthread_create", 0);
		if (!err)
			err = bcct_attach_uprobe(skel->progs.pthread_create_uretprobe, true, env.pid,
						 lib.attach, "pthread_create", 0);
		if (err && !own)
			bcct_err("cannot attach to pthread_create in %s: %s", lib.shown, strerror(-err));
		sys_library_close(&lib);
	} else if (!own) {
		bcct_err("no C library in process %ld", env.pid);
	}
	if (err && !own)
		return BCCT_EXIT_FAIL;
	if (err)
		bcct_info("process %ld: no pthread_create to trace; %s threads only", env.pid,
			  o.lang->name);
	if (!t || !t->stop)         /* c: pthread_start is the pthread events above */
		return 0;
	for (int stop = 0; stop < 2; stop++) {
		unsigned long long cookie = RT_COOKIE_SET(UTHREADS_CK_NAME, t->name.ptr) |
					    RT_COOKIE_SET(UTHREADS_CK_NAME_LEN, t->name.len) |
					    RT_COOKIE_SET(UTHREADS_CK_ID, t->id_arg) |
					    RT_COOKIE_SET(UTHREADS_CK_NATIVE, t->native_id_arg) |
					    RT_COOKIE_SET(UTHREADS_CK_STOP, stop);

		if (rt_attach(skel->progs.thread_usdt, env.pid, o.lang, stop ? t->stop : t->start,
			      cookie, true))
			return BCCT_EXIT_FAIL;
	}
	return 0;
}

static void done(void *ctx)
{
	sym_proc_close(o.syms);
	o.syms = NULL;
}

static int run(void)
{
	int err = rt_engine_target(o.language, RT_NEED_THREADS, true, &o.lang);

	if (err)
		return err;
	o.none = !o.lang;
	return bcct_run(&(struct bcct_run){
		.attach = attach,
		.on_start = header,
		.on_event = on_event,
		.on_exit = done,
	});
}

BCCT_APPLET(uthreads,
	.category = "language runtime",
	.summary = "Trace thread creation/destruction events in high-level languages",
	.examples =
	"    uthreads -l java 185    # trace Java threads in process 185\n"
	"    uthreads -l none 12245  # trace only pthreads in process 12245\n",
	.opts = opts,
	.skeleton = &uthreads_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		{ "javathreads", "Trace thread creation/destruction events in java (uthreads -l java)",
		  { "-l", "java" }, .opts = wrapper_opts,
		  .examples = "    javathreads 185    # trace Java threads in process 185\n" },
		{ NULL },
	});

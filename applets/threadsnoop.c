/* threadsnoop: list new threads created with pthread_create, as BCC's threadsnoop. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "symbolize/symbolize.h"
#include "threadsnoop.skel.h"
#include "threadsnoop.h"

BCCT_SKELETON(threadsnoop_bpf);

static struct {
	struct threadsnoop_bpf *skel;
	struct sym_cache *syms;
	unsigned long long first_ts;
} o;

static const struct bcct_opt opts[] = {
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("%-10s %-7s %-16s %s", "TIME(ms)", "PID", "COMM", "FUNC");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct threadsnoop_event *e = data;
	struct sym_proc *p;
	struct bcct_sym s = { 0 };
	char func[256];

	if (size < sizeof(*e))
		return 0;
	if (!o.first_ts)
		o.first_ts = e->ts;
	if (!o.syms)
		o.syms = sym_cache_new();
	p = o.syms ? sym_cache_get(o.syms, e->pid) : NULL;
	/* BCC: the start routine's name, or its address in hex when it has none */
	if (p && sym_user(p, e->start, &s))
		sym_format_ex(&s, true, 0, func, sizeof(func));
	else
		snprintf(func, sizeof(func), "0x%llx", e->start);
	out_event_time(e->ts);
	out_begin();
	if (env.json)
		out_float("time_s", "%f", (e->ts - o.first_ts) / 1e9);
	else
		out_int("time_ms", "%-10lld", (long long)((e->ts - o.first_ts) / 1000000));
	out_int("pid", "%-7lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_str("func", "%s", func);
	out_end();
	return 0;
}

static int configure(void *p)
{
	o.skel = p;
	return 0;
}

/* pthread_create is in libc.so.6 since glibc 2.34 (libpthread.so.0 is left as an empty stub
 * there), in libpthread before: the C library first, then libpthread (BCC tries them the
 * other way round, which on a current glibc attaches to the stub). */
static int attach(void *ctx)
{
	static const char *const libs[] = { "c", "pthread" };
	char path[4096];
	int err = -ENOENT;

	for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]) && err; i++) {
		if (!sys_find_library(libs[i], false, path, sizeof(path)))
			continue;
		err = bcct_attach_uprobe(o.skel->progs.pthread_create_enter, false, 0, path, "pthread_create", 0);
		if (err)
			bcct_info("%s: no pthread_create: %s", path, strerror(-err));
	}
	if (err) {
		bcct_err("no pthread_create found in the C library or libpthread");
		return BCCT_EXIT_FAIL;
	}
	return 0;
}

static int run(void)
{
	int err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = on_event,
	});

	sym_cache_free(o.syms);
	o.syms = NULL;
	return err;
}

BCCT_APPLET(threadsnoop,
	.category = "process",
	.summary = "List new thread creation",
	.description =
	"One line per pthread_create call (a uprobe on the C library's, or libpthread's): the\n"
	"milliseconds since the first, the calling process and the new thread's start routine.",
	.examples =
	"    threadsnoop           # trace pthread_create calls until Ctrl-C\n",
	.opts = opts,
	.skeleton = &threadsnoop_bpf__skeleton,
	.run = run);

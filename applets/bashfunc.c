/* bashfunc (BPF Performance Tools, ch. 12): bash shell function calls as they begin, from every
 * bash running the binary given (default /bin/bash). The book's tool printed "function: NAME";
 * here a row per call with the time, PID and comm, as BCC's bashreadline. Debian's bash has no
 * execute_function symbol: the calls are seen at push_context (core/family/rt.h). */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/output.h"
#include "core/run.h"
#include "bashfunc.h"
#include "bashfunc.skel.h"

BCCT_SKELETON(bashfunc_bpf);

static struct {
	const char *shell;      /* NULL: /bin/bash */
} o;

static const struct bcct_opt opts[] = {
	RT_BASH_OPT(&o.shell),
	STD_PID('p'),
	STD_DURATION('d'),
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("%-8s %-7s %-16s %s", "TIME", "PID", "COMM", "FUNCTION");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct bashfunc_event *e = data;
	char name[BASHFUNC_NAME_LEN + 1];

	if (size < sizeof(*e))
		return 0;
	snprintf(name, sizeof(name), "%.*s", BASHFUNC_NAME_LEN, e->name);
	out_event_time(e->ts);
	out_begin();
	out_time_fmt("time", "%-8s");
	out_int("pid", "%-7lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_str("function", "%s", name);
	out_end();
	return 0;
}

static int attach(void *ctx)
{
	struct bashfunc_bpf *skel = ctx;

	return rt_bash_attach(o.shell, skel->progs.push_context_uprobe, NULL);
}

static int configure(void *p)
{
	/* Calls only: the scope closing times bashfunclat's histograms. */
	bcct_probe_enable(p, "pop_context_uprobe", false);
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.banner = "Tracing bash function calls... Hit Ctrl-C to end.",
		.on_start = header,
		.on_event = on_event,
	});
}

BCCT_APPLET(bashfunc,
	.category = "language runtime",
	.summary = "Trace bash shell function calls (book)",
	.examples =
	"    bashfunc                  # function calls of every /bin/bash\n"
	"    bashfunc -p 181           # calls in the bash of PID 181 only\n"
	"    bashfunc -s /usr/local/bin/bash   # another bash binary\n",
	.opts = opts,
	.skeleton = &bashfunc_bpf__skeleton,
	.run = run);

/* capable: trace security capability checks, as BCC's capable. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "core/sys/sys.h"
#include "capable.skel.h"
#include "capable.h"

BCCT_SKELETON(capable_bpf);

static struct {
	bool kstack, ustack, extra, unique;
	bool said_unknown;            /* -v told that the tracepoint lacks cap_capable's opts */
	struct bcct_stacks *stacks;
} o;

static const struct bcct_opt opts[] = {
	/* BCC's -v; bcct's -v (attach methods on stderr) comes with it. */
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "include non-audit checks (and show attach methods)"),
	STD_PID('p'),
	OPT_FLAG_('K', "kernel-stack", &o.kstack, "output kernel stack trace"),
	OPT_FLAG_('U', "user-stack", &o.ustack, "output user stack trace"),
	OPT_FLAG_('x', "extra", &o.extra, "show extra fields in TID and INSETID columns"),
	OPT_FLAG_(0, "unique", &o.unique, "don't repeat stacks for the same pid or cgroup"),
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	STD_STACK_OPTS,
	OPT_END_,
};

static void header(void *ctx)
{
	if (o.extra)
		out_header("%-9s %-6s %-6s %-6s %-16s %-4s %-20s %-6s %s", "TIME", "UID", "PID", "TID",
			   "COMM", "CAP", "NAME", "AUDIT", "INSETID");
	else
		out_header("%-9s %-6s %-6s %-16s %-4s %-20s %-6s", "TIME", "UID", "PID", "COMM", "CAP",
			   "NAME", "AUDIT");
}

/* BCC's print_stack: a failed lookup is "[Missed ... Stack]", except -EFAULT (no such stack,
 * e.g. the user stack of a kernel thread), which prints nothing. */
static void print_stack(const char *key, int id, bool user, int tgid)
{
	const char *const *names;
	int n = id >= 0 ? bcct_stack_frames(o.stacks, id, user, tgid, NULL, &names) : 0;

	if (env.json) {
		json_str_array(key, names, n < 0 ? 0 : n);
		return;
	}
	if ((id < 0 && id != -EFAULT) || n < 0) {
		printf("    [Missed %s Stack]\n", user ? "User" : "Kernel");
		return;
	}
	for (int i = 0; i < n; i++)
		printf("        %s\n", names[i]);
}

static void audit_field(const char *key, const char *fmt, const char *dash_fmt, int v)
{
	if (v != CAPABLE_UNKNOWN)
		out_int(key, fmt, v);
	else if (!env.json)         /* JSON leaves an unknown value out (docs/JSON.md) */
		out_str(key, dash_fmt, "-");
}

static int on_event(void *ctx, const void *data, size_t len)
{
	const struct capable_event *e = data;
	const char *name = sys_capability_name(e->cap);

	if (e->audit == CAPABLE_UNKNOWN && !o.said_unknown) {
		o.said_unknown = true;
		bcct_info("capability:cap_capable has no opts argument: AUDIT and INSETID print as "
			  "\"-\" and non-audit checks are shown too, as with -v");
	}
	out_event_time(e->ts);
	out_begin();
	out_time_fmt("time", "%-9s");
	out_int("uid", "%-6lld", e->uid);
	out_int("pid", "%-6lld", e->tgid);
	if (o.extra)
		out_int("tid", "%-6lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_int("cap", "%-4lld", e->cap);
	out_str("name", "%-20s", name ? name : "?");
	audit_field("audit", "%-6lld", "%-6s", e->audit);
	if (o.extra)
		audit_field("insetid", "%lld", "%s", e->insetid);
	if (env.json) {
		if (o.kstack)
			print_stack("kernel_stack", e->kernel_stack_id, false, 0);
		if (o.ustack)
			print_stack("user_stack", e->user_stack_id, true, (int)e->tgid);
		out_end();
		return 0;
	}
	out_end();
	if (o.kstack)
		print_stack(NULL, e->kernel_stack_id, false, 0);
	if (o.ustack)
		print_stack(NULL, e->user_stack_id, true, (int)e->tgid);
	return 0;
}

static int configure(void *p)
{
	struct capable_bpf *skel = p;

	skel->rodata->targ_verbose = env.verbose > 0;
	skel->rodata->targ_kstack = o.kstack;
	skel->rodata->targ_ustack = o.ustack;
	skel->rodata->targ_unique = o.unique;
	skel->rodata->self_tgid = getpid();
	if (!o.kstack && !o.ustack && bcct_map_resize(skel, "stacks", 1))
		return -1;
	o.stacks = o.kstack || o.ustack ?
		bcct_stacks_new(skel->maps.stacks, &(struct bcct_stack_fmt){
			.kernel = o.kstack, .user = o.ustack, .offsets = true, .modules = true }) : NULL;
	return o.kstack || o.ustack ? (o.stacks ? 0 : -1) : 0;
}

static int run(void)
{
	int err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = on_event,
	});

	bcct_stacks_free(o.stacks);
	return err;
}

BCCT_APPLET(capable,
	.category = "security",
	.summary = "Trace security capability checks",
	.description =
	"Entry probes (fentry, kprobe) on cap_capable see whether a check is audited; the\n"
	"capability:cap_capable tracepoint (the method on kernels without them) does not: there\n"
	"AUDIT and INSETID print \"-\" and non-audit checks are shown too, as with -v.",
	.examples =
	"    capable             # trace capability checks\n"
	"    capable -v          # verbose: include non-audit checks\n"
	"    capable -p 181      # only trace PID 181\n"
	"    capable -K          # add kernel stacks to trace\n"
	"    capable -U          # add user-space stacks to trace\n"
	"    capable -x          # extra fields: show TID and INSETID columns\n"
	"    capable --unique    # don't repeat stacks for the same pid or cgroup\n"
	"    capable --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    capable --mntnsmap mappath   # only trace mount namespaces in the map\n",
	.opts = opts,
	.skeleton = &capable_bpf__skeleton,
	.run = run);

/* execsnoop: trace new processes via exec() syscalls. */
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "execsnoop.skel.h"
#include "execsnoop.h"

BCCT_SKELETON(execsnoop_bpf);

static struct {
	bool time, timestamp, fails, quote, print_uid, print_cpu, print_pcomm;
	const char *name, *line;
	long max_args, ppid;
	regex_t name_re, line_re;
	uint64_t start_ns;
} o = { .max_args = 20 };

static const struct bcct_opt opts[] = {
	OPT_FLAG_('T', "time", &o.time, "include time column on output (HH:MM:SS)"),
	OPT_FLAG_('t', "timestamp", &o.timestamp, "include timestamp on output"),
	OPT_FLAG_('x', "fails", &o.fails, "include failed exec()s"),
	STD_UID('u'),
	OPT_FLAG_('q', "quote", &o.quote, "add quotemarks (\") around arguments"),
	OPT_STR_('n', "name", &o.name, "NAME", "only print commands matching this name (regex), any arg"),
	OPT_STR_('l', "line", &o.line, "LINE", "only print commands where arg contains this line (regex)"),
	OPT_FLAG_('U', "print-uid", &o.print_uid, "print UID column"),
	OPT_INT_(0, "max-args", &o.max_args, "MAX_ARGS", "maximum number of arguments parsed and displayed, defaults to 20", 1, EXECSNOOP_MAX_ARGS),
	OPT_INT_('P', "ppid", &o.ppid, "PPID", "trace this parent PID only", 1, INT_MAX),
	OPT_FLAG_('C', "print-cpu", &o.print_cpu, "print CPU column"),
	OPT_FLAG_('M', "print-pcomm", &o.print_pcomm, "print parent process comm"),
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static void header(void *ctx)
{
	o.start_ns = bcct_now_ns();
	if (env.json)
		return;
	if (o.time)
		printf("%-9s", "TIME");
	if (o.timestamp)
		printf("%-8s", "TIME(s)");
	if (o.print_uid)
		printf("%-6s", "UID");
	/* BCC's columns since -M: COMM is the process, PCOMM (-M) its parent. */
	printf("%-16s %-7s ", "COMM", "PID");
	if (o.print_pcomm)
		printf("%-16s ", "PCOMM");
	printf("%-7s ", "PPID");
	if (o.print_cpu)
		printf("%-4s ", "CPU");
	printf("%3s %s\n", "RET", "ARGS");
}

/* Appends `s` at buf[*used], escaped as BCC prints arguments: a newline as the two characters
 * \n (one event, one line), and with -q a double quote as \". *used counts what would have been
 * written, like snprintf. */
static void append_escaped(char *buf, size_t len, size_t *used, const char *s)
{
	for (; *s; s++) {
		const char *esc = *s == '\n' ? "\\n" : o.quote && *s == '"' ? "\\\"" : NULL;

		if (esc)
			*used += snprintf(buf + *used, *used < len ? len - *used : 0, "%s", esc);
		else
			*used += snprintf(buf + *used, *used < len ? len - *used : 0, "%c", *s);
	}
}

/* argv as one line: arguments joined by spaces, escaped, "..." when cut. */
static void join_args(const struct execsnoop_event *e, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i = 0;

	buf[0] = 0;
	for (int n = 0; n < e->args_count && i < e->args_size && i < sizeof(e->args); n++) {
		const char *a = &e->args[i];
		size_t alen = strnlen(a, sizeof(e->args) - i);
		char arg[EXECSNOOP_ARGSIZE + 1];

		snprintf(arg, sizeof(arg), "%.*s", (int)alen, a);
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s", n ? " " : "", o.quote ? "\"" : "");
		append_escaped(buf, len, &used, arg);
		if (o.quote)
			used += snprintf(buf + used, used < len ? len - used : 0, "\"");
		i += alen + 1;
	}
	if (e->args_count > o.max_args)
		snprintf(buf + used, used < len ? len - used : 0, " ...");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct execsnoop_event *e = data;
	char args[2 * EXECSNOOP_ARGS_BUF + 64], ppid[16] = "?";

	join_args(e, args, sizeof(args));
	if (o.name && regexec(&o.name_re, e->comm, 0, NULL, 0))
		return 0;
	if (o.line && regexec(&o.line_re, args, 0, NULL, 0))
		return 0;
	if (e->ppid > 0)
		snprintf(ppid, sizeof(ppid), "%d", e->ppid);
	out_event_time(e->ts);
	out_begin();
	if (o.time)
		out_time("time");
	if (o.timestamp)
		out_float("time_s", "%-7.3f", (bcct_now_ns() - o.start_ns) / 1e9);
	if (o.print_uid)
		out_uint("uid", "%-5llu", e->uid);
	out_str("comm", "%-16s", e->comm);
	out_int("pid", "%-7lld", e->pid);
	if (o.print_pcomm)
		out_str("pcomm", "%-16s", e->pcomm);
	if (!env.json)
		out_str("ppid", "%-7s", ppid);
	else if (e->ppid > 0)           /* a number, absent when unknown (the text's "?") */
		out_int("ppid", "", e->ppid);
	if (o.print_cpu)
		out_int("cpu", "%-4lld", e->cpu);
	out_int("ret", "%3lld", e->retval);
	out_str("args", "%s", args);
	out_end();
	return 0;
}

static int compile(regex_t *re, const char *pattern, const char *what)
{
	if (pattern && regcomp(re, pattern, REG_EXTENDED | REG_NOSUB)) {
		bcct_usage_err("invalid %s regex '%s'", what, pattern);
		return -1;
	}
	return 0;
}

static int configure(void *p)
{
	struct execsnoop_bpf *skel = p;

	skel->rodata->max_args = o.max_args;
	skel->rodata->include_failed = o.fails;
	skel->rodata->ppid_filter = o.ppid;
	return 0;
}

static int run(void)
{
	if (compile(&o.name_re, o.name, "--name") || compile(&o.line_re, o.line, "--line"))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(execsnoop,
	.category = "process",
	.summary = "Trace new processes via exec() syscalls",
	.examples =
	"    execsnoop           # trace all exec() syscalls\n"
	"    execsnoop -x        # include failed exec()s\n"
	"    execsnoop -T        # include time (HH:MM:SS)\n"
	"    execsnoop -U        # include UID\n"
	"    execsnoop -u 1000   # only trace UID 1000\n"
	"    execsnoop -u user   # get user UID and trace only them\n"
	"    execsnoop -t        # include timestamps\n"
	"    execsnoop -q        # add \"quotemarks\" around arguments\n"
	"    execsnoop -n main   # only print command lines containing \"main\"\n"
	"    execsnoop -l tpkg   # only print command where arguments contains \"tpkg\"\n"
	"    execsnoop -P 181    # only trace new processes whose parent PID is 181\n"
	"    execsnoop -C        # include CPU column\n"
	"    execsnoop -M        # include parent process comm column\n"
	"    execsnoop --cgroup /sys/fs/cgroup/unified/user.slice # only trace this cgroup\n"
	"    execsnoop --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    execsnoop --mntnsmap mappath   # only trace mount namespaces in the map\n",
	.opts = opts,
	.skeleton = &execsnoop_bpf__skeleton,
	.optional_probes = BCCT_NAMES("sys_enter__execveat", "sys_exit__execveat"),
	.run = run);

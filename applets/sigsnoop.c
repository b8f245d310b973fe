/* sigsnoop: trace standard and real-time signals. As killsnoop (sigsnoop --kill-only) it traces
 * the kill() family of syscalls and prints BCC killsnoop's columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "sigsnoop.skel.h"
#include "sigsnoop.h"

BCCT_SKELETON(sigsnoop_bpf);

static struct {
	bool failed, kill_only, sig_name;
	long tpid;
	unsigned long long sig_mask;
	char pid_fmt[16];        /* killsnoop: PID columns as wide as pid_max, plus one */
	int pid_width;
} o;

/* libbpf-tools names: SIGUSR1 ..., real-time signals as SIGNAL-N, N/A for 0. */
static const char *sig_name(int sig, char *buf, size_t len)
{
	if (sig > 0 && sig < 32)
		return sys_signal_name(sig);
	if (sig >= 32 && sig <= 64)
		snprintf(buf, len, "SIGNAL-%d", sig);
	else
		snprintf(buf, len, "N/A");
	return buf;
}

/* -s: comma-separated signal numbers (1-64) or names (SIGUSR1 or USR1). */
static int parse_signals(const char *arg, void *dest)
{
	char *copy = strdup(arg), *save = NULL;
	int err = 0, n = 0;

	if (!copy)
		return -1;
	for (char *tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save), n++) {
		long sig = 0;

		if (bcct_parse_long(tok, &sig))
			sig = sys_signal_number(tok);
		if (sig < 1 || sig > 64)
			err = -1;
		else
			*(unsigned long long *)dest |= 1ULL << (sig - 1);
	}
	if (!n)
		err = -1;
	free(copy);
	return err;
}

static const struct bcct_opt opts[] = {
	OPT_FLAG_('x', "failed", &o.failed, "trace failed signals only"),
	OPT_FLAG_('k', "kill-only", &o.kill_only, "trace signals issued by kill syscall only"),
	STD_PID('p'),
	OPT_INT_('T', "tpid", &o.tpid, "PID", "trace this target PID only which is the receiver of signal", 1, INT_MAX),
	OPT_FUNC_('s', "signal", &o.sig_mask, "SIGNAL", "signals to trace (numbers or names, comma-separated)", parse_signals),
	OPT_FLAG_('n', "name", &o.sig_name, "output signal name instead of signal number"),
	STD_FILTERS,
	OPT_END_,
};

/* killsnoop's own options (BCC killsnoop.py): no -k (implied) and no -n. */
static const struct bcct_opt killsnoop_opts[] = {
	OPT_FLAG_('x', "failed", &o.failed, "only show failed kill syscalls"),
	OPT_INT_('p', "pid", OPT_DEST(env, pid), "PID", "trace this PID only which is the sender of signal", 1, INT_MAX),
	OPT_INT_('T', "tpid", &o.tpid, "TPID", "trace this target PID only which is the receiver of signal", 1, INT_MAX),
	OPT_FUNC_('s', "signal", &o.sig_mask, "SIGNAL", "trace this signal only", parse_signals),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* BCC killsnoop sizes its PID columns from pid_max. */
static void pid_columns(void)
{
	char buf[32] = "";
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");

	o.pid_width = 6;
	if (f && fgets(buf, sizeof(buf), f))
		o.pid_width = strcspn(buf, "\n") + 1;
	if (f)
		fclose(f);
	snprintf(o.pid_fmt, sizeof(o.pid_fmt), "%%-%dlld", o.pid_width);
}

static void header(void *ctx)
{
	if (env.json)
		return;
	if (o.kill_only)
		printf("%-9s %-*s %-16s %-4s %-*s %s\n", "TIME", o.pid_width, "PID", "COMM", "SIG",
		       o.pid_width, "TPID", "RESULT");
	else
		printf("%-8s %-7s %-16s %-12s %-7s %-16s %-6s\n", "TIME", "PID", "COMM", "SIG", "TPID",
		       "TCOMM", "RESULT");
}

/* SIG: the number, or its name with -n; JSON has the number always and "sig_name" with -n. */
static void out_sig(int sig, const char *name_fmt, const char *number_fmt)
{
	char buf[16];

	if (env.json || !o.sig_name)
		out_int("sig", number_fmt, sig);
	if (o.sig_name)
		out_str(env.json ? "sig_name" : "sig", name_fmt, sig_name(sig, buf, sizeof(buf)));
}

static void print_kill(const struct sigsnoop_event *e)
{
	out_time_fmt("time", "%-9s");
	out_int("pid", o.pid_fmt, e->pid);
	out_str("comm", "%-16s", e->comm);
	out_sig(e->sig, "%-4s", "%-4lld");
	out_int("tpid", o.pid_fmt, e->tpid);
	out_int("result", "%lld", e->ret);
}

static void print_signal(const struct sigsnoop_event *e)
{
	out_time_fmt("time", "%-8s");
	out_int("pid", "%-7lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_sig(e->sig, "%-12s", "%-12lld");
	out_int("tpid", "%-7lld", e->tpid);
	out_str("tcomm", "%-16s", e->tcomm);
	out_int("result", "%-6lld", e->ret);
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct sigsnoop_event *e = data;

	out_event_time(e->ts);
	out_begin();
	if (o.kill_only)
		print_kill(e);
	else
		print_signal(e);
	out_end();
	return 0;
}

/* Kill-only mode uses the syscall probes, the default mode signal_generate. */
static const char *const kill_probes[] = {
	"sys_enter", "sys_exit", "sys_enter__kill", "sys_exit__kill", "sys_enter__tkill",
	"sys_exit__tkill", "sys_enter__tgkill", "sys_exit__tgkill",
};

static int configure(void *p)
{
	struct sigsnoop_bpf *skel = p;

	skel->rodata->failed_only = o.failed;
	skel->rodata->target_pid = o.tpid;
	skel->rodata->sig_mask = o.sig_mask;
	for (size_t i = 0; i < sizeof(kill_probes) / sizeof(kill_probes[0]); i++)
		bcct_probe_enable(skel, kill_probes[i], o.kill_only);
	bcct_probe_enable(skel, "signal_generate", !o.kill_only);
	return 0;
}

static int run(void)
{
	pid_columns();
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(sigsnoop,
	.category = "process",
	.summary = "Trace standard and real-time signals",
	.examples =
	"    sigsnoop             # trace signals system-wide\n"
	"    sigsnoop -k          # trace signals issued by kill syscall only\n"
	"    sigsnoop -x          # trace failed signals only\n"
	"    sigsnoop -p 1216     # only trace PID 1216\n"
	"    sigsnoop -s 1,9,15   # trace signal 1, 9, 15\n",
	.opts = opts,
	.skeleton = &sigsnoop_bpf__skeleton,
	.optional_probes = BCCT_NAMES("sys_enter__tkill", "sys_exit__tkill", "sys_enter__tgkill",
				      "sys_exit__tgkill"),
	.run = run,
	.aliases = (const struct bcct_alias[]){
		{ "killsnoop", "Trace signals issued by the kill() syscall", { "--kill-only" },
		  .opts = killsnoop_opts,
		  .examples =
		  "    killsnoop           # trace all kill() signals\n"
		  "    killsnoop -x        # only show failed kills\n"
		  "    killsnoop -p 181    # only trace PID 181\n"
		  "    killsnoop -T 189    # only trace target PID 189\n"
		  "    killsnoop -s 9      # only trace signal 9\n" },
		{ NULL },
	});

/* setuids: privilege changes through setuid(2), setfsuid(2) and setresuid(2), one line per
 * call, as the book's setuids.bt (BPF Performance Tools, ch. 11). */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "setuids.skel.h"
#include "setuids.h"
#include "syscall_record.h"

BCCT_SKELETON(setuids_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_UID('u'),
	STD_FILTERS,
	OPT_END_,
};

static const char *const call_names[] = {
	[SETUIDS_SETUID] = "setuid",
	[SETUIDS_SETFSUID] = "setfsuid",
	[SETUIDS_SETRESUID] = "setresuid",
};

static void header(void *ctx)
{
	(void)ctx;
	out_header("%-8s %-6s %-16s %-6s %-9s %s", "TIME", "PID", "COMM", "UID", "SYSCALL", "ARGS (RET)");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct syscall_record *e = data;
	char comm[sizeof(e->comm) + 1], args[96];
	int a0, a1, a2, ret;           /* uids are 32-bit: the registers' upper halves are noise */

	(void)ctx;
	if (size < sizeof(*e) || e->call > SETUIDS_SETRESUID)
		return 0;
	a0 = (int)e->args[0], a1 = (int)e->args[1], a2 = (int)e->args[2], ret = (int)e->ret;
	snprintf(comm, sizeof(comm), "%s", e->comm);
	out_event_time(e->ts);
	out_begin();
	out_time("time");
	out_int("pid", "%-6lld", e->pid);
	out_str("comm", "%-16s", comm);
	out_int("uid", "%-6lld", e->uid);
	out_str("syscall", "%-9s", call_names[e->call]);
	if (env.json) {
		if (e->call == SETUIDS_SETRESUID) {
			json_int("ruid", a0);
			json_int("euid", a1);
			json_int("suid", a2);
		} else {
			json_int("new_uid", a0);
		}
		json_int(e->call == SETUIDS_SETFSUID ? "prev_uid" : "ret", ret);
	} else {
		if (e->call == SETUIDS_SETRESUID)
			snprintf(args, sizeof(args), "ruid=%d euid=%d suid=%d (%d)", a0, a1, a2,
				 ret);
		else if (e->call == SETUIDS_SETFSUID)   /* it returns the previous fsuid */
			snprintf(args, sizeof(args), "uid=%d (prevuid=%d)", a0, ret);
		else
			snprintf(args, sizeof(args), "uid=%d (%d)", a0, ret);
		out_str("args", "%s", args);
	}
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing setuid(2) family syscalls. Hit Ctrl-C to end.",
		.on_start = header,
		.on_event = on_event,
	});
}

BCCT_APPLET(setuids,
	.category = "security",
	.summary = "Trace the setuid syscalls: privilege escalation",
	.description =
	"One line per setuid(2), setfsuid(2) or setresuid(2) call, at its return, with the caller's\n"
	"uid, the uids asked for and the result, as the book's setuids.bt.",
	.examples =
	"    setuids            # trace setuid-family calls\n"
	"    setuids -u 1000    # calls by UID 1000 only\n",
	.opts = opts,
	.skeleton = &setuids_bpf__skeleton,
	.run = run);

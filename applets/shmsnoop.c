/* shmsnoop: trace shm*() syscalls, as BCC's shmsnoop. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "shmsnoop.skel.h"
#include "shmsnoop.h"
#include "syscall_record.h"

BCCT_SKELETON(shmsnoop_bpf);

static struct {
	const char *name;
	unsigned long long first_ts;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_PID('p'),
	STD_TID('t'),
	STD_DURATION('d'),
	OPT_STR_('n', "name", &o.name, "NAME", "only print process names containing this name"),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

struct flag {
	const char *name;
	unsigned long value;
};

static const struct flag shmget_flags[] = {
	{ "IPC_CREAT", 01000 }, { "IPC_EXCL", 02000 }, { "SHM_HUGETLB", 04000 },
	{ "SHM_HUGE_2MB", 21UL << 26 }, { "SHM_HUGE_1GB", 30UL << 26 },
	{ "SHM_NORESERVE", 010000 }, { "SHM_EXEC", 0100000 }, { NULL, 0 },
};

static const struct flag shmat_flags[] = {
	{ "SHM_RDONLY", 010000 }, { "SHM_RND", 020000 }, { "SHM_REMAP", 040000 },
	{ "SHM_EXEC", 0100000 }, { NULL, 0 },
};

/* BCC's shmflg_str: "0x1b6", or "0x3b6 (IPC_CREAT|0666)": the names of the flags sharing a bit
 * with the value (each clearing its bits), then what is left in octal. */
static const char *flags_text(unsigned long val, const struct flag *flags, char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "0x%lx", val);
	int cnt = 0;

	if (!val)
		return buf;
	n += snprintf(buf + n, n < len ? len - n : 0, " (");
	for (const struct flag *f = flags; f->name; f++) {
		if (!(f->value & val))
			continue;
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", cnt++ ? "|" : "", f->name);
		val &= ~f->value;
	}
	if (val || !cnt)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s0%lo", cnt ? "|" : "", val);
	snprintf(buf + n, n < len ? len - n : 0, ")");
	return buf;
}

static void header(void *ctx)
{
	out_header("%s%-6s %-16s %6s %16s ARGs", env.timestamp ? "TIME(s)       " : "",
		   env.tid ? "TID" : "PID", "COMM", "SYS", "RET");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	static const char *const names[] = { "SHMGET", "SHMAT", "SHMDT", "SHMCTL" };
	const struct syscall_record *e = data;
	char args[256], flags[160];
	const unsigned long long *a;

	if (size < sizeof(*e))
		return 0;
	if (!o.first_ts)
		o.first_ts = e->ts;
	if (o.name && !strstr(e->comm, o.name))   /* BCC: a substring, in user space */
		return 0;
	a = e->args;
	switch (e->call) {
	case SHMSNOOP_SHMGET:
		snprintf(args, sizeof(args), "key: 0x%llx, size: %llu, shmflg: %s", a[0], a[1],
			 flags_text(a[2], shmget_flags, flags, sizeof(flags)));
		break;
	case SHMSNOOP_SHMAT:
		snprintf(args, sizeof(args), "shmid: 0x%llx, shmaddr: 0x%llx, shmflg: %s", a[0], a[1],
			 flags_text(a[2], shmat_flags, flags, sizeof(flags)));
		break;
	case SHMSNOOP_SHMDT:
		snprintf(args, sizeof(args), "shmaddr: 0x%llx", a[0]);
		break;
	default:
		snprintf(args, sizeof(args), "shmid: 0x%llx, cmd: %llu, buf: 0x%llx", a[0], a[1], a[2]);
		break;
	}
	out_event_time(e->ts);
	if (!env.json) {
		if (env.timestamp)
			printf("%-14.9f", (e->ts - o.first_ts) / 1e9);
		printf("%-6u %-16s %6s %16llx %s\n", env.tid ? e->tid : e->pid, e->comm,
		       e->call < 4 ? names[e->call] : "N/A", (unsigned long long)e->ret, args);
		return 0;
	}
	out_begin();
	if (env.timestamp)
		out_float("time_s", "%f", (e->ts - o.first_ts) / 1e9);
	out_int(env.tid ? "tid" : "pid", "%lld", env.tid ? e->tid : e->pid);
	out_str("comm", "%s", e->comm);
	out_str("sys", "%s", e->call < 4 ? names[e->call] : "N/A");
	out_int("ret", "%lld", e->ret);
	out_str("args", "%s", args);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.on_start = header,
		.on_event = on_event,
	});
}

BCCT_APPLET(shmsnoop,
	.category = "memory",
	.summary = "Trace shm*() syscalls",
	.description =
	"One line per shmget, shmat, shmdt or shmctl call, at its return: the caller, the result\n"
	"(in hex, as BCC) and the arguments, flags named. The syscall tracepoints.",
	.examples =
	"    shmsnoop           # trace all shm*() syscalls\n"
	"    shmsnoop -T        # include timestamps\n"
	"    shmsnoop -p 181    # only trace PID 181\n"
	"    shmsnoop -t 123    # only trace TID 123\n"
	"    shmsnoop -d 10     # trace for 10 seconds only\n"
	"    shmsnoop -n main   # only print process names containing \"main\"\n",
	.opts = opts,
	.skeleton = &shmsnoop_bpf__skeleton,
	.run = run);

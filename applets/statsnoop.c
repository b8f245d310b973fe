/* statsnoop: trace stat() syscalls. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "statsnoop.skel.h"
#include "statsnoop.h"

BCCT_SKELETON(statsnoop_bpf);

static struct {
	bool timestamp, failed, sysname;
	uint64_t first_ts;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('t', "timestamp", &o.timestamp, "include timestamp on output"),
	OPT_FLAG_('x', "failed", &o.failed, "only show failed stats"),
	STD_PID('p'),
	OPT_FLAG_('s', "sysname", &o.sysname, "include syscall name on output"),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static const char *const sys_names[] = {
	[SYS_STATFS] = "statfs", [SYS_NEWSTAT] = "newstat", [SYS_STATX] = "statx",
	[SYS_NEWFSTAT] = "newfstat", [SYS_NEWFSTATAT] = "newfstatat", [SYS_NEWLSTAT] = "newlstat",
};

static const char *sys_name(int type)
{
	if (type > 0 && type < (int)(sizeof(sys_names) / sizeof(sys_names[0])))
		return sys_names[type];
	return "N/A";
}

static void header(void *ctx)
{
	if (env.json)
		return;
	if (o.timestamp)
		printf("%-14s", "TIME(s)");
	printf("%-6s %-16s %4s %3s ", "PID", "COMM", "FD", "ERR");
	if (o.sysname)
		printf("%-10s ", "SYSCALL");
	printf("PATH\n");
}

/* What fd (or the cwd for AT_FDCWD) of pid refers to, as /proc shows it; "" when gone. */
static char *proc_fd_path(int pid, int fd, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	if (fd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", pid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	n = readlink(link, buf, len - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* As libbpf-tools: a relative path is shown under its directory (cwd or dirfd), and a call on a
 * file descriptor (newfstat, or an empty path with AT_EMPTY_PATH) as that file. Best effort:
 * read from /proc when the event is printed, so the task may be gone. */
static void event_path(const struct statsnoop_event *e, char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (e->path[0] == '/') {
		snprintf(buf, len, "%s", e->path);
	} else if (!e->path[0]) {
		proc_fd_path(e->pid, e->fd, buf, len);
	} else {
		proc_fd_path(e->pid, e->fd, dir, sizeof(dir));
		snprintf(buf, len, "%s%s%s", dir, *dir && strcmp(dir, "/") ? "/" : "", e->path);
	}
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct statsnoop_event *e = data;
	char path[PATH_MAX + STATSNOOP_PATH_MAX + 2];

	if (!o.first_ts)
		o.first_ts = e->ts;
	event_path(e, path, sizeof(path));
	out_event_time(e->ts);
	out_begin();
	if (o.timestamp)
		out_float("time_s", "%-13.9f", (e->ts - o.first_ts) / 1e9);
	out_int("pid", "%-6lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_int("fd", "%4lld", e->ret >= 0 ? e->ret : -1);
	out_int("err", "%3lld", e->ret >= 0 ? 0 : -e->ret);
	if (o.sysname)
		out_str("syscall", "%-10s", sys_name(e->type));
	out_str("path", "%s", path);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct statsnoop_bpf *skel = p;

	skel->rodata->failed_only = o.failed;
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

/* Which stat calls exist depends on the architecture (x86_64 has no plain stat tracepoints,
 * arm64 no newstat/newlstat); statx exists on every kernel new enough for CO-RE. */
BCCT_APPLET(statsnoop,
	.category = "syscalls",
	.summary = "Trace stat() syscalls",
	.examples =
	"    statsnoop           # trace all stat() syscalls\n"
	"    statsnoop -t        # include timestamps\n"
	"    statsnoop -s        # include syscall name\n"
	"    statsnoop -x        # only show failed stats\n"
	"    statsnoop -p 181    # only trace PID 181\n",
	.opts = opts,
	.skeleton = &statsnoop_bpf__skeleton,
	/* Only statx exists on every architecture; the others are absent on arm64. */
	.optional_probes = BCCT_NAMES("sys_enter__statfs", "sys_exit__statfs", "sys_enter__newstat",
				      "sys_exit__newstat", "sys_enter__newlstat", "sys_exit__newlstat",
				      "sys_enter__newfstat", "sys_exit__newfstat",
				      "sys_enter__newfstatat", "sys_exit__newfstatat"),
	.run = run);

/* opensnoop: trace open() syscalls, with fd or errno, flags and path. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "opensnoop.skel.h"
#include "opensnoop_full.skel.h"
#include "opensnoop.h"

BCCT_SKELETON(opensnoop_bpf);
BCCT_SKELETON(opensnoop_full_bpf);

static struct {
	bool print_uid, failed, extended, full_path;
	const char *name;
	struct bcct_list flag_names;
	int flags_mask;
	long buffer_pages;
	uint64_t first_ts;
} o = { .buffer_pages = 64 };

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('U', "print-uid", &o.print_uid, "print UID column"),
	OPT_FLAG_('x', "failed", &o.failed, "only show failed opens"),
	STD_PID('p'),
	STD_TID('t'),
	STD_UID('u'),
	STD_DURATION('d'),
	OPT_STR_('n', "name", &o.name, "NAME", "only print process names containing this name"),
	OPT_FLAG_('e', "extended_fields", &o.extended, "show extended fields"),
	OPT_LIST_('f', "flag_filter", &o.flag_names, "FLAG_FILTER", "filter on flags argument (e.g., O_WRONLY)"),
	OPT_FLAG_('F', "full-path", &o.full_path, "show full path for an open file with relative path"),
	OPT_INT_('b', "buffer-pages", &o.buffer_pages, "BUFFER_PAGES",
		 "size of the perf ring buffer (must be a power of two number of pages and defaults to 64)", 1, 1 << 20),
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	STD_FILTERS,
	STD_EBPF,
	STD_EXEC,
	OPT_END_,
};

/* -f: the open flags BCC accepts (Python's os.O_* names), with this libc's values. */
static int flags_mask(void)
{
	int mask = 0, value;

	for (int i = 0; i < o.flag_names.n; i++) {
		if (!sys_open_flag(o.flag_names.v[i], &value)) {
			bcct_usage_err("Bad flag: %s", o.flag_names.v[i]);
			return -1;
		}
		mask |= value;
	}
	return mask;
}

static void header(void *ctx)
{
	if (env.json)
		return;
	if (env.timestamp)
		printf("%-14s", "TIME(s)");
	if (o.print_uid)
		printf("%-6s", "UID");
	printf("%-6s %-16s %4s %3s ", env.tid ? "TID" : "PID", "COMM", "FD", "ERR");
	if (o.extended)
		printf("%-8s %-4s ", "FLAGS", "MODE");
	printf("PATH\n");
}

/* -F: "/" + directory names outermost first + the path as given. */
static void join_path(const struct opensnoop_event *e, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	if (!o.full_path || e->name[0][0] == '/') {
		snprintf(buf, len, "%s", e->name[0]);
		return;
	}
	for (int i = e->depth; i >= 1; i--)
		used += snprintf(buf + used, used < len ? len - used : 0, "/%.*s", OPENSNOOP_SLOT, e->name[i]);
	snprintf(buf + used, used < len ? len - used : 0, "/%.*s", OPENSNOOP_SLOT, e->name[0]);
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct opensnoop_event *e = data;
	char path[OPENSNOOP_SLOT * OPENSNOOP_MAX_PARTS + 2];
	bool has_mode;

	if (size < offsetof(struct opensnoop_event, name) + OPENSNOOP_SLOT ||
	    size < offsetof(struct opensnoop_event, name) + (e->depth + 1) * (size_t)OPENSNOOP_SLOT)
		return 0;
	if (o.name && !strstr(e->comm, o.name))
		return 0;
	if (!o.first_ts)
		o.first_ts = e->ts;
	join_path(e, path, sizeof(path));
	out_event_time(e->ts);
	out_begin();
	if (env.timestamp)
		out_float("time_s", "%-13.9f", (e->ts - o.first_ts) / 1e9);
	if (o.print_uid)
		out_uint("uid", "%-5llu", e->uid);
	out_int(env.tid ? "tid" : "pid", "%-6lld", env.tid ? e->tid : e->pid);
	out_str("comm", "%-16s", e->comm);
	out_int("fd", "%4lld", e->ret >= 0 ? e->ret : -1);
	out_int("err", "%3lld", e->ret >= 0 ? 0 : -e->ret);
	if (o.extended) {
		/* The mode argument means something only with O_CREAT or O_TMPFILE (open(2)). */
		has_mode = (e->flags & O_CREAT) || (e->flags & O_TMPFILE) == O_TMPFILE;
		out_uint("flags", "%08llo", (unsigned int)e->flags);
		if (has_mode)
			out_uint("mode", "%04llo", e->mode);
		else if (!env.json)     /* JSON: absent, not a string where a number goes */
			out_str("mode", "%-4s", "n/a");
	}
	out_str("path", "%s", path);
	out_end();
	return 0;
}

/* opensnoop_full_bpf (-F) is the same program with the directory walk compiled in (see
 * bpf/opensnoop.bpf.c for why it is apart): the same maps, programs and .rodata. */
_Static_assert(sizeof(struct opensnoop_bpf) == sizeof(struct opensnoop_full_bpf) &&
	       sizeof(struct opensnoop_bpf__rodata) == sizeof(struct opensnoop_full_bpf__rodata),
	       "opensnoop's two objects differ");

static int configure(void *p)
{
	struct opensnoop_bpf *skel = p;

	skel->rodata->failed_only = o.failed;
	skel->rodata->flags_mask = o.flags_mask;
	/* BCC's own process is not in its output (its Python runs outside the traced syscalls'
	 * window); bcct reads tracefs and /proc while starting and would report itself. */
	skel->rodata->self_tgid = getpid();
	return 0;
}

static int run(void)
{
	o.flags_mask = flags_mask();
	if (o.flags_mask < 0)
		return BCCT_EXIT_USAGE;
	/* BCC's perf buffer takes only a power of two (libbcc refuses the others). */
	if (o.buffer_pages & (o.buffer_pages - 1)) {
		bcct_usage_err("--buffer-pages must be a power of two, not %ld", o.buffer_pages);
		return BCCT_EXIT_USAGE;
	}
	return bcct_run(&(struct bcct_run){
		.skeleton = o.full_path ? &opensnoop_full_bpf__skeleton : NULL,
		.configure = configure,
		.on_start = header,
		.on_event = event,
		.perf_pages = o.buffer_pages,
	});
}

BCCT_APPLET(opensnoop,
	.category = "syscalls",
	.summary = "Trace open() syscalls",
	.description =
	"The open, openat and openat2 system calls. arm64 has no open: there openat and openat2\n"
	"are all (the syscall table is the architecture's own).",
	.examples =
	"    opensnoop                        # trace all open() syscalls\n"
	"    opensnoop -T                     # include timestamps\n"
	"    opensnoop -U                     # include UID\n"
	"    opensnoop -x                     # only show failed opens\n"
	"    opensnoop -p 181                 # only trace PID 181\n"
	"    opensnoop -t 123                 # only trace TID 123\n"
	"    opensnoop -u 1000                # only trace UID 1000\n"
	"    opensnoop -d 10                  # trace for 10 seconds only\n"
	"    opensnoop -n main                # only print process names containing \"main\"\n"
	"    opensnoop -e                     # show extended fields\n"
	"    opensnoop -f O_WRONLY -f O_RDWR  # only print calls for writing\n"
	"    opensnoop -F                     # show full path for an open file with relative path\n"
	"    opensnoop -b 128                 # perf buffer of 128 pages per CPU\n"
	"    opensnoop --cgroup /sys/fs/cgroup/user.slice  # only trace this cgroup\n"
	"    opensnoop --exec cat /etc/hostname  # run this command, trace its opens until it exits\n"
	"    opensnoop --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    opensnoop --mntnsmap mappath   # only trace mount namespaces in the map\n",
	.opts = opts,
	.skeleton = &opensnoop_bpf__skeleton,
	.optional_probes = BCCT_NAMES("sys_enter__open", "sys_exit__open", "sys_enter__openat2",
				      "sys_exit__openat2"),
	.run = run);

/* fileslower: synchronous file reads and writes slower than a threshold, on any file system,
 * with the file's name; BCC's options and columns. It runs fsslower's BPF object (bpf/fsop.bpf.h)
 * over the VFS pseudo file system of core/family/fs.c: kprobes on vfs_read/vfs_write where the
 * kernel has them, else the read/write syscalls. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/run.h"
#include "fsslower.skel.h"
#include "fsop.h"

BCCT_SKELETON(fsslower_bpf);

#define FILESLOWER_OPS 2        /* read and write */
#define FILESLOWER_NAME_LEN 32  /* BCC's DNAME_INLINE_LEN */

static struct {
	bool all_files;
	long min_ms;
	unsigned long long first_ns;
	struct fs_op_plan plan[FILESLOWER_OPS];
} o = { .min_ms = 10 };

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	OPT_FLAG_('a', "all-files", &o.all_files, "include non-regular file types (sockets, FIFOs, etc)"),
	POS_INT_("min_ms", &o.min_ms, "minimum I/O duration to trace, in ms (default 10)", 0, INT_MAX),
	STD_DURATION('d'),
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("Tracing sync read/writes slower than %ld ms", o.min_ms);
	out_header("%-8s %-14s %-6s %1s %-7s %7s %s", "TIME(s)", "COMM", "TID", "D", "BYTES",
		   "LAT(ms)", "FILENAME");
	o.first_ns = bcct_now_ns();
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct fsslower_event *e = data;
	char dir[2] = { fs_op_letter(e->op), 0 };
	char name[sizeof(e->file)];

	if (size < sizeof(*e))
		return 0;
	/* BCC reads DNAME_INLINE_LEN (32) bytes of the name and marks a longer one with "...". */
	snprintf(name, sizeof(name), "%.*s", (int)sizeof(e->file) - 1, e->file);
	if (strlen(name) > FILESLOWER_NAME_LEN)
		strcpy(name + FILESLOWER_NAME_LEN - 3, "...");
	out_begin();
	out_float("time_s", "%-8.3f", (e->end_ns - o.first_ns) / 1e9);
	out_str("comm", "%-14.14s", e->comm);
	out_int("tid", "%-6lld", e->tid);
	out_str("d", "%1s", dir);
	out_int("bytes", "%-7lld", (long long)e->count);
	out_float("lat_ms", "%7.2f", e->delta_ns / 1000 / 1000.0);
	out_str("file", "%s", name);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct fsslower_bpf *skel = p;

	skel->rodata->fsop_magic = 0;
	skel->rodata->fsop_vfs = true;
	skel->rodata->fsop_regular_only = !o.all_files;
	skel->rodata->fsop_self = getpid();
	skel->rodata->min_ns = (unsigned long long)o.min_ms * 1000000;
	return fs_ops_configure(skel, &fs_vfs, o.plan, FILESLOWER_OPS, &skel->rodata->fsop_sys_timed);
}

static int attach(void *skel)
{
	return fs_ops_attach(skel, &fs_vfs, o.plan, FILESLOWER_OPS);
}

static int run(void)
{
	fs_ops_plan(&fs_vfs, FILESLOWER_OPS, o.plan);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = event,
	});
}

static bool vfs_falls_back(void)
{
	return fs_ops_fall_back(&fs_vfs, FILESLOWER_OPS);
}

BCCT_APPLET(fileslower,
	.category = "file/VFS",
	.summary = "Trace slow synchronous file reads and writes",
	.description =
	"Reads and writes are timed at vfs_read/vfs_write with kprobes, as BCC does; BYTES is\n"
	"the size asked for. Without kprobes the fallback times the read, pread64, write and\n"
	"pwrite64 syscalls (the ones that reach vfs_read/vfs_write) of regular files (any file\n"
	"with -a): the whole syscall rather than the VFS call, and nothing that reaches the VFS\n"
	"without them (kernel reads, io_uring). -v shows the method.",
	.examples =
	"    fileslower             # trace sync file I/O slower than 10 ms (default)\n"
	"    fileslower 1           # trace sync file I/O slower than 1 ms\n"
	"    fileslower -p 185      # trace PID 185 only\n",
	.opts = opts,
	.skeleton = &fsslower_bpf__skeleton,
	.optional_probes = FS_OPS_OPTIONAL_PROBES,
	.fallback = "the read/pread64/write/pwrite64 syscalls: syscall latency, not vfs_read's or "
		    "vfs_write's",
	.falls_back = vfs_falls_back,
	.run = run);

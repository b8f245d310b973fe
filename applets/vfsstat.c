/* vfsstat: per-second counts of VFS reads, writes, fsyncs, opens and creates. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/rates.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "vfsstat.skel.h"
#include "vfsstat.h"

BCCT_SKELETON(vfsstat_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static const char *const keys[VFSSTAT_MAX] = {
	"read_per_s", "write_per_s", "fsync_per_s", "open_per_s", "create_per_s",
};

static long interval(void)
{
	return env.interval ? env.interval : 1;
}

static void header(void *ctx)
{
	out_header("TIME         READ/s  WRITE/s  FSYNC/s   OPEN/s CREATE/s");
}

static int print(void *ctx, bool final)
{
	struct vfsstat_bpf *skel = ctx;
	unsigned long long n[VFSSTAT_MAX];

	if (rates_row_begin(skel->maps.stats, keys, n, VFSSTAT_MAX, interval()))
		return -1;
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct vfsstat_bpf *skel = p;

	fs_op_syscall_nrs(FS_OP_READ, (int *)skel->rodata->read_nrs);
	fs_op_syscall_nrs(FS_OP_WRITE, (int *)skel->rodata->write_nrs);
	fs_op_syscall_nrs(FS_OP_FSYNC, (int *)skel->rodata->fsync_nrs);
	fs_op_syscall_nrs(FS_OP_OPEN, (int *)skel->rodata->open_nrs);
	skel->rodata->nr_open = sys_syscall_nr("open");
	skel->rodata->nr_openat = sys_syscall_nr("openat");
	skel->rodata->nr_creat = sys_syscall_nr("creat");
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_interval = print,
		.interval = interval(),
	});
}

BCCT_APPLET(vfsstat,
	.category = "file/VFS",
	.summary = "Count some VFS calls",
	.description =
	"Counts calls of vfs_read, vfs_write, vfs_fsync_range, vfs_open and vfs_create (fentry, else\n"
	"kprobes). Without either, it counts the syscalls that lead there (raw_syscalls:sys_exit):\n"
	"read/write families and fsync/fdatasync with a valid fd, successful opens, and as CREATE\n"
	"successful creat() and O_CREAT opens (vfs_create itself is reached by mknod). Calls the\n"
	"kernel makes itself (sendfile, splice, io_uring, nfsd) are not seen then.",
	.examples =
	"    vfsstat             # count some VFS calls per second\n"
	"    vfsstat -p 1        # trace PID 1 only\n"
	"    vfsstat 2 5         # print 2 second summaries, 5 times\n",
	.opts = opts,
	.fallback = "syscalls, not VFS calls: in-kernel callers not seen; CREATE counts creat() and O_CREAT opens",
	.skeleton = &vfsstat_bpf__skeleton,
	.run = run);

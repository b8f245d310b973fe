/* fsrwstat (BPF Performance Tools, ch. 8): VFS reads and writes counted by file system type
 * and VFS function, every second. The vfsrw object (bpf/vfsrw.bpf.c): kprobes on vfs_read, vfs_readv,
 * vfs_write, vfs_writev, else the syscalls that reach them. */
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "vfsrw.h"         /* struct vfsrw_config, before the skeleton that uses it */
#include "vfsrw.skel.h"

BCCT_SKELETON(vfsrw_bpf);

static const struct bcct_opt opts[] = { FS_COUNTS_OPTS };

static void row(const void *key, unsigned long long count)
{
	const struct vfsrw_key *k = key;

	out_begin();
	out_str("fs", "%-16s", k->name);
	out_str("func", "%-10s", fs_vfsrw_func_name(k->func));
	out_uint("count", "%8llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct vfsrw_bpf *skel = p;

	/* The book prints the time before each second's counts. */
	out_text("\n");
	out_begin_members();
	out_time_fmt("time", "%s");
	out_end();
	out_header("%-16s %-10s %8s", "FS", "FUNC", "COUNT");
	return table_print_counts(skel->maps.counts, row, true);
}

static int configure(void *p)
{
	struct vfsrw_bpf *skel = p;

	fs_vfsrw_configure(skel, &skel->rodata->vfsrw, (struct vfsrw_config){
		.keys = VFSRW_K_FSTYPE | VFSRW_K_FUNC,
	});
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing VFS reads and writes... Hit Ctrl-C to end.",
		.on_interval = print,
		.interval = env.interval ? env.interval : 1,   /* the book prints every second */
	});
}

BCCT_APPLET(fsrwstat,
	.category = "file/VFS",
	.summary = "VFS reads and writes by file system type, every second (book)",
	.description =
	"Counts calls of vfs_read, vfs_readv, vfs_write and vfs_writev (kprobes) by the type of\n"
	"the file system holding the file (ext4, tmpfs, sockfs, pipefs, ...) and the function,\n"
	"printed every second (interval to change it). Without\n"
	"kprobes, the syscalls reaching them are counted under the function they reach (read and\n"
	"pread64: vfs_read; readv, preadv, preadv2: vfs_readv; ...), missing the kernel's own calls.",
	.examples =
	"    fsrwstat           # VFS reads/writes by file system type, every second\n"
	"    fsrwstat 5 3       # every 5 seconds, 3 times\n"
	"    fsrwstat -p 181    # only PID 181\n",
	.opts = opts,
	.skeleton = &vfsrw_bpf__skeleton,
	.optional_probes = FS_VFSRW_OPTIONAL,
	.fallback = FS_VFSRW_FALLBACK,
	.run = run);

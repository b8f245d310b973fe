/* filetype (BPF Performance Tools, ch. 8): VFS reads and writes counted by file type, VFS
 * function and process. The vfsrw object (bpf/vfsrw.bpf.c): kprobes on vfs_read, vfs_readv,
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
	out_str("type", "%-10s", fs_mode_type_name(k->ftype));
	out_str("func", "%-10s", fs_vfsrw_func_name(k->func));
	out_str("comm", "%-16s", k->comm);
	out_uint("count", "%8llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct vfsrw_bpf *skel = p;

	out_interval_begin();
	out_header("%-10s %-10s %-16s %8s", "TYPE", "FUNC", "COMM", "COUNT");
	return table_print_counts(skel->maps.counts, row, true);
}

static int configure(void *p)
{
	struct vfsrw_bpf *skel = p;

	fs_vfsrw_configure(skel, &skel->rodata->vfsrw, (struct vfsrw_config){
		.keys = VFSRW_K_FTYPE | VFSRW_K_FUNC | VFSRW_K_COMM,
	});
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing VFS reads and writes by file type... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(filetype,
	.category = "file/VFS",
	.summary = "VFS reads and writes by file type, function and process (book)",
	.description =
	"Counts calls of vfs_read, vfs_readv, vfs_write and vfs_writev (kprobes) by the file's\n"
	"type (regular, socket, fifo, character, ...), the function and the process. Without\n"
	"kprobes, the syscalls reaching them are counted under the function they reach (read and\n"
	"pread64: vfs_read; readv, preadv, preadv2: vfs_readv; ...), missing the kernel's own calls.",
	.examples =
	"    filetype           # count VFS reads/writes by file type until Ctrl-C\n"
	"    filetype 1 5       # print every second, 5 times\n"
	"    filetype -p 181    # only PID 181\n",
	.opts = opts,
	.skeleton = &vfsrw_bpf__skeleton,
	.optional_probes = FS_VFSRW_OPTIONAL,
	.fallback = FS_VFSRW_FALLBACK,
	.run = run);

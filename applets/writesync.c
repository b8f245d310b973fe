/* writesync (BPF Performance Tools, ch. 8): writes to regular files counted by process and file,
 * split by the file's sync flag (O_DSYNC, which O_SYNC includes). The vfsrw object (bpf/vfsrw.bpf.c): kprobes on vfs_read, vfs_readv,
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
	out_str("type", "%-7s", k->sync ? "sync" : "regular");
	out_str("comm", "%-16s", k->comm);
	out_uint("count", "%8llu", count);
	out_str("file", "%s", k->name);
	out_end();
}

static int print(void *p, bool final)
{
	struct vfsrw_bpf *skel = p;

	out_interval_begin();
	out_header("%-7s %-16s %8s %s", "TYPE", "COMM", "COUNT", "FILE");
	return table_print_counts(skel->maps.counts, row, true);
}

static int configure(void *p)
{
	struct vfsrw_bpf *skel = p;

	fs_vfsrw_configure(skel, &skel->rodata->vfsrw, (struct vfsrw_config){
		.keys = VFSRW_K_SYNC | VFSRW_K_COMM | VFSRW_K_NAME,
		.writes_only = true,
		.regular_only = true,
	});
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing VFS write sync flags... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(writesync,
	.category = "file/VFS",
	.summary = "Writes to regular files by process and file, sync (O_DSYNC) or not (book)",
	.description =
	"Counts calls of vfs_write and vfs_writev (kprobes) on regular files by process and file\n"
	"name, TYPE \"sync\" when the file was opened with O_DSYNC or O_SYNC, else \"regular\".\n"
	"Without kprobes, the write, pwrite64, writev, pwritev and pwritev2 syscalls are counted,\n"
	"missing the kernel's own writes.",
	.examples =
	"    writesync          # count regular file writes by sync flag until Ctrl-C\n"
	"    writesync 1 5      # print every second, 5 times\n"
	"    writesync -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &vfsrw_bpf__skeleton,
	.optional_probes = FS_VFSRW_OPTIONAL,
	.fallback = FS_VFSRW_FALLBACK,
	.run = run);

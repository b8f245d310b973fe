/* vfssize (BPF Performance Tools, ch. 8): the sizes VFS reads and writes returned, a log2
 * histogram per process and file name (FIFOs together as "FIFO"). The vfsrw object
 * (bpf/vfsrw.bpf.c): kprobes and kretprobes on vfs_read, vfs_readv, vfs_write, vfs_writev, else
 * the syscalls that reach them, timed from entry to exit. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "vfsrw.h"         /* struct vfsrw_config, before the skeleton that uses it */
#include "vfsrw.skel.h"

BCCT_SKELETON(vfsrw_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

/* The section: "comm = bash, file = passwd". */
static void label(const void *key, char *buf, size_t len)
{
	const struct vfsrw_key *k = key;

	snprintf(buf, len, "%s, file = %s", k->comm, k->name);
}

static void json_label(const void *key, const char *key_name)
{
	const struct vfsrw_key *k = key;

	json_str("comm", k->comm);
	json_str("file", k->name);
}

static int print(void *p, bool final)
{
	struct vfsrw_bpf *skel = p;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "bytes",
		.section = "comm",
		.label = label,
		.json_label = json_label,
		.clear = true,
	});
}

static int configure(void *p)
{
	struct vfsrw_bpf *skel = p;

	fs_vfsrw_configure(skel, &skel->rodata->vfsrw, (struct vfsrw_config){
		.keys = VFSRW_K_COMM | VFSRW_K_NAME | VFSRW_K_FIFO,
		.sizes = true,
	});
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing VFS read and write sizes... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(vfssize,
	.category = "file/VFS",
	.summary = "VFS read and write sizes, a histogram per process and file (book)",
	.description =
	"The bytes vfs_read, vfs_readv, vfs_write and vfs_writev returned (kprobes and\n"
	"kretprobes), a log2 histogram per process and file name; FIFOs are counted together as\n"
	"\"FIFO\". Without kprobes, the return values of the syscalls that reach them (read,\n"
	"pread64, readv, preadv[2], write, pwrite64, writev, pwritev[2]), missing the kernel's own\n"
	"calls.",
	.examples =
	"    vfssize            # VFS read/write sizes by process and file until Ctrl-C\n"
	"    vfssize 1 5        # print every second, 5 times\n"
	"    vfssize -p 181     # only PID 181\n",
	.opts = opts,
	.skeleton = &vfsrw_bpf__skeleton,
	.optional_probes = FS_VFSRW_OPTIONAL,
	.fallback = FS_VFSRW_FALLBACK,
	.run = run);

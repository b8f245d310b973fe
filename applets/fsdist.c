/* fsdist: latency of file-system operations (read, write, open, fsync) as one log2 histogram
 * per operation, for one file system (-t); ext4dist, xfsdist, btrfsdist, nfsdist and zfsdist
 * are it with -t preset, with BCC's options and output. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "fsdist.skel.h"
#include "fsop.h"

BCCT_SKELETON(fsdist_bpf);

static struct {
	const char *type;
	bool notimestamp, ms;
	const struct fs_type *fs;
	struct fs_op_plan plan[FSOP_COUNT];
	char banner[96];
} o;

#define FSDIST_OPTS									\
	OPT_FLAG_('T', "notimestamp", &o.notimestamp, "don't include timestamp on interval output"), \
	OPT_FLAG_('m', "milliseconds", &o.ms, "output in milliseconds"),		\
	STD_PID('p'),									\
	STD_INTERVAL,									\
	STD_COUNT,									\
	STD_FILTERS,									\
	OPT_END_

static const struct bcct_opt opts[] = {
	OPT_STR_('t', "type", &o.type, "FS", "file system: " FS_TYPE_NAMES),
	FSDIST_OPTS,
};
static const struct bcct_opt alias_opts[] = { FSDIST_OPTS };

static void op_label(const void *key, char *buf, size_t len)
{
	snprintf(buf, len, "%s", fs_op_name(*(const unsigned int *)key));
}

static int print(void *p, bool final)
{
	struct fsdist_bpf *skel = p;
	char ts[16];

	out_text("\n");
	if (env.interval && !o.notimestamp)
		out_text("%s:\n", sys_time_of_day(ts, sizeof(ts)));
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = o.ms ? "msecs" : "usecs",
		.section = "operation",
		.label = op_label,
		.clear = true,
	});
}

static int configure(void *p)
{
	struct fsdist_bpf *skel = p;

	skel->rodata->fsop_magic = o.fs->magic;
	skel->rodata->fsop_self = getpid();
	skel->rodata->in_ms = o.ms;
	return fs_ops_configure(skel, o.fs, o.plan, FSOP_COUNT, &skel->rodata->fsop_sys_timed);
}

static int attach(void *skel)
{
	return fs_ops_attach(skel, o.fs, o.plan, FSOP_COUNT);
}

static int run(void)
{
	o.fs = fs_ops_select(o.type, o.plan);
	if (!o.fs)
		return BCCT_EXIT_USAGE;
	snprintf(o.banner, sizeof(o.banner), "Tracing %s operation latency... Hit Ctrl-C to end.",
		 fs_type_title(o.fs));
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.banner = o.banner,
		.on_interval = print,
	});
}

#define DIST_EXAMPLES(fs)								\
	"    " fs "dist            # show operation latency as a histogram\n"		\
	"    " fs "dist -p 181     # trace PID 181 only\n"				\
	"    " fs "dist 1 10       # print 1 second summaries, 10 times\n"		\
	"    " fs "dist -m 5       # 5s summaries, milliseconds\n"

BCCT_APPLET(fsdist,
	.category = "filesystem",
	.summary = "Summarize file-system operation (read, write, open, fsync) latency",
	.description = FS_OPS_FALLBACK_HELP,
	.fallback = FS_OPS_FALLBACK_NOTE,
	.falls_back = fs_ops_ext4_falls_back,
	.examples =
	"    fsdist -t ext4            # show ext4 operation latency as a histogram\n"
	"    fsdist -t xfs -p 181      # trace PID 181 only\n"
	"    fsdist -t btrfs 1 10      # print 1 second summaries, 10 times\n"
	"    fsdist -t ext4 -m 5       # 5s summaries, milliseconds\n",
	.opts = opts,
	.skeleton = &fsdist_bpf__skeleton,
	.optional_probes = FS_OPS_OPTIONAL_PROBES,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		{ "ext4dist", "Summarize ext4 operation latency", { "-t", "ext4" },
		  .opts = alias_opts, .examples = DIST_EXAMPLES("ext4") },
		{ "xfsdist", "Summarize XFS operation latency", { "-t", "xfs" },
		  .opts = alias_opts, .examples = DIST_EXAMPLES("xfs") },
		{ "btrfsdist", "Summarize btrfs operation latency", { "-t", "btrfs" },
		  .opts = alias_opts, .examples = DIST_EXAMPLES("btrfs") },
		{ "nfsdist", "Summarize NFS operation latency", { "-t", "nfs" },
		  .opts = alias_opts, .examples = DIST_EXAMPLES("nfs") },
		{ "zfsdist", "Summarize ZFS operation latency", { "-t", "zfs" },
		  .opts = alias_opts, .examples = DIST_EXAMPLES("zfs") },
		/* The book's overlayfs (ch. 15) times ovl_read_iter and ovl_write_iter; open and
		 * fsync come with the family. */
		{ "overlayfs", "Summarize overlayfs read/write (and open, fsync) latency (book)",
		  { "-t", "overlay" }, .opts = alias_opts,
		  .examples = "    overlayfs           # overlayfs operation latency as histograms\n"
			      "    overlayfs -p 181    # trace PID 181 only\n"
			      "    overlayfs 1 10      # print 1 second summaries, 10 times\n" },
		{ NULL },
	});

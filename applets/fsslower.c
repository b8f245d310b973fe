/* fsslower: file-system operations (read, write, open, fsync) slower than a threshold, for one
 * file system (-t); ext4slower, xfsslower, btrfsslower, nfsslower and zfsslower are it with -t
 * preset, with BCC's options, columns and CSV. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "fsslower.skel.h"
#include "fsop.h"

BCCT_SKELETON(fsslower_bpf);

static struct {
	const char *type;
	bool csv;
	long min_ms;
	const struct fs_type *fs;
	struct fs_op_plan plan[FSOP_COUNT];
} o = { .min_ms = 10 };

#define FSSLOWER_OPTS									\
	OPT_FLAG_('j', "csv", &o.csv, "just print fields: comma-separated values"),	\
	STD_PID('p'),									\
	STD_DURATION('d'),								\
	POS_INT_("min_ms", &o.min_ms, "minimum I/O duration to trace, in ms (default 10)", 0, INT_MAX), \
	STD_FILTERS,									\
	OPT_END_

static const struct bcct_opt opts[] = {
	OPT_STR_('t', "type", &o.type, "FS", "file system: " FS_TYPE_NAMES),
	FSSLOWER_OPTS,
};
/* The aliases' own options: everything but -t, which the alias presets. */
static const struct bcct_opt alias_opts[] = { FSSLOWER_OPTS };

static void header(void *ctx)
{
	/* btrfsslower's PID column is one wider than the others'. */
	int pid_width = strcmp(o.fs->name, "btrfs") ? 6 : 7;

	if (env.json)
		return;
	if (o.csv) {
		printf("ENDTIME_us,TASK,PID,TYPE,BYTES,OFFSET_b,LATENCY_us,FILE\n");
		return;
	}
	if (!strcmp(o.fs->name, "nfs"))
		printf(o.min_ms ? "Tracing NFS operations that are slower than %ld ms... Ctrl-C to quit\n"
				: "Tracing NFS operations... Ctrl-C to quit\n", o.min_ms);
	else if (o.min_ms)
		printf("Tracing %s operations slower than %ld ms\n", fs_type_title(o.fs), o.min_ms);
	else
		printf("Tracing %s operations\n", fs_type_title(o.fs));
	printf("%-8s %-14s %-*s %1s %-7s %-8s %7s %s\n", "TIME", "COMM", pid_width, "PID", "T",
	       "BYTES", "OFF_KB", "LAT(ms)", "FILENAME");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct fsslower_event *e = data;
	char type[2] = { fs_op_letter(e->op), 0 };
	int pid_width = strcmp(o.fs->name, "btrfs") ? 6 : 7;
	char pid[16];

	if (size < sizeof(*e))
		return 0;
	if (o.csv && !env.json) {
		printf("%llu,%s,%u,%s,%lld,%llu,%llu,%s\n", e->end_ns / 1000, e->comm, e->pid, type,
		       e->size, e->offset, e->delta_ns / 1000, e->file);
		return 0;
	}
	snprintf(pid, sizeof(pid), "%-*u", pid_width, e->pid);
	out_begin();
	out_time("time");
	out_str("comm", "%-14.14s", e->comm);
	if (env.json)
		out_int("pid", "", e->pid);
	else
		out_str("pid", "%s", pid);
	out_str("type", "%1s", type);
	out_int("bytes", "%-7lld", e->size);
	out_int("off_kb", "%-8lld", (long long)(e->offset / 1024));
	out_float("lat_ms", "%7.2f", e->delta_ns / 1000 / 1000.0);
	out_str("file", "%s", e->file);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct fsslower_bpf *skel = p;

	skel->rodata->fsop_magic = o.fs->magic;
	skel->rodata->fsop_self = getpid();
	skel->rodata->min_ns = (unsigned long long)o.min_ms * 1000000;
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
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = event,
	});
}

#define SLOWER_EXAMPLES(fs)								\
	"    " fs "slower             # trace operations slower than 10 ms (default)\n"	\
	"    " fs "slower 1           # trace operations slower than 1 ms\n"		\
	"    " fs "slower -j 1        # ... 1 ms, parsable output (csv)\n"		\
	"    " fs "slower 0           # trace all operations (warning: verbose)\n"	\
	"    " fs "slower -p 185      # trace PID 185 only\n"

BCCT_APPLET(fsslower,
	.category = "filesystem",
	.summary = "Trace common file-system operations (read, write, open, fsync) slower than a threshold",
	.description = FS_OPS_FALLBACK_HELP,
	.fallback = FS_OPS_FALLBACK_NOTE,
	.falls_back = fs_ops_ext4_falls_back,
	.examples =
	"    fsslower -t ext4          # trace ext4 operations slower than 10 ms (default)\n"
	"    fsslower -t xfs 1         # trace XFS operations slower than 1 ms\n"
	"    fsslower -t btrfs -j 1    # ... 1 ms, parsable output (csv)\n"
	"    fsslower -t ext4 0        # trace all operations (warning: verbose)\n"
	"    fsslower -t ext4 -p 185   # trace PID 185 only\n",
	.opts = opts,
	.skeleton = &fsslower_bpf__skeleton,
	.optional_probes = FS_OPS_OPTIONAL_PROBES,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		{ "ext4slower", "Trace common ext4 file operations slower than a threshold",
		  { "-t", "ext4" }, .opts = alias_opts, .examples = SLOWER_EXAMPLES("ext4") },
		{ "xfsslower", "Trace common XFS file operations slower than a threshold",
		  { "-t", "xfs" }, .opts = alias_opts, .examples = SLOWER_EXAMPLES("xfs") },
		{ "btrfsslower", "Trace common btrfs file operations slower than a threshold",
		  { "-t", "btrfs" }, .opts = alias_opts,
		  .examples = SLOWER_EXAMPLES("btrfs")
		  "    btrfsslower -d 10       # trace for 10 seconds only\n" },
		{ "nfsslower", "Trace READ, WRITE, OPEN and FSYNC NFS calls slower than a threshold",
		  { "-t", "nfs" }, .opts = alias_opts, .examples = SLOWER_EXAMPLES("nfs") },
		{ "zfsslower", "Trace common ZFS file operations slower than a threshold",
		  { "-t", "zfs" }, .opts = alias_opts, .examples = SLOWER_EXAMPLES("zfs") },
		{ NULL },
	});

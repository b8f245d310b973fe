/* icstat (BPF Performance Tools, ch. 8): inode cache references, misses and hit ratio, one line
 * a second in the book's columns (bpf/icstat.bpf.c). */
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "icstat.skel.h"

BCCT_SKELETON(icstat_bpf);

static const struct bcct_opt opts[] = { FS_COUNTS_OPTS };

static void header(void *ctx)
{
	out_header("%10s %10s %5s", "REFS", "MISSES", "HIT%");
}

static int print(void *p, bool final)
{
	struct icstat_bpf *skel = p;
	unsigned long long v[2];
	long long hits;

	if (bcct_counters_take(skel->maps.stats, v, 2))
		return -1;
	hits = v[0] >= v[1] ? (long long)(v[0] - v[1]) : 0;
	out_begin_members();
	out_uint("refs", "%10llu", v[0]);
	out_uint("misses", "%10llu", v[1]);
	/* The book's integer percentage, 0 without lookups. */
	out_int("hit_pct", "%4lld%%", v[0] ? 100 * hits / (long long)v[0] : 0);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing icache lookups... Hit Ctrl-C to end.",
		.on_start = header,
		.on_interval = print,
		.interval = env.interval ? env.interval : 1,
	});
}

BCCT_APPLET(icstat,
	.category = "file/VFS",
	.summary = "Inode cache references, misses and hit ratio per second (book)",
	.description =
	"Counts the returns of find_inode_fast (fexit, else kretprobe), a miss when it found no\n"
	"cached inode. No tracepoint sees these lookups: without fentry and kprobes it refuses.",
	.examples =
	"    icstat             # one line per second until Ctrl-C\n"
	"    icstat 5 3         # every 5 seconds, 3 times\n",
	.opts = opts,
	.skeleton = &icstat_bpf__skeleton,
	.run = run);

/* cachestat: page cache hits, misses and dirtied pages per interval, with Buffers/Cached. */
#include <stdio.h>
#include "core/applet.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "cachestat.skel.h"
#include "cachestat.h"

BCCT_SKELETON(cachestat_bpf);

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("%s    HITS   MISSES  DIRTIES HITRATIO   BUFFERS_MB  CACHED_MB",
		   env.timestamp ? "TIME     " : "");
}

static int print(void *ctx, bool final)
{
	struct cachestat_bpf *skel = ctx;
	unsigned long long n[CACHE_COUNTERS];
	long long total, misses, hits;

	if (bcct_counters_take(skel->maps.stats, n, CACHE_COUNTERS))
		return -1;
	/* BCC's arithmetic: accesses without those of writes (mark_buffer_dirty also marks the
	 * page accessed), misses are additions not made by writes (those dirty the page). The
	 * fallback's accesses are reads only: nothing to take away. */
	total = (long long)n[CACHE_ACCESSED];
	if (bcct_probe_chosen(skel, "accessed") != KIND_RAW_TP)
		total -= (long long)n[CACHE_BUFFER_DIRTY];
	misses = (long long)n[CACHE_ADDED] - (long long)n[CACHE_DIRTIED];
	if (misses < 0)
		misses = 0;
	if (total < 0)
		total = 0;
	hits = total - misses;
	/* Read-ahead can add more pages than were asked for: then count every access a miss. */
	if (hits < 0) {
		misses = total;
		hits = 0;
	}
	out_begin_members();            /* JSON: one line per interval, its object's members */
	if (env.timestamp)
		out_time("time");
	out_int("hits", "%8lld", hits);
	out_int("misses", "%8lld", misses);
	out_uint("dirties", "%8llu", n[CACHE_BUFFER_DIRTY]);
	out_float("hitratio", "%7.2f%%", total > 0 ? 100.0 * hits / total : 0);
	out_float("buffers_mb", "%12.0f", sys_meminfo_kb("Buffers") / 1024.0);
	out_float("cached_mb", "%10.0f", sys_meminfo_kb("Cached") / 1024.0);
	out_end();
	if (final)
		out_text("Detaching...\n");
	return 0;
}

/* Totals only: cachetop's per-process map is not used. */
static int configure(void *skel)
{
	return bcct_map_resize(skel, "procs", 1);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_interval = print,
		.interval = env.interval ? env.interval : 1,
	});
}

BCCT_APPLET(cachestat,
	.category = "file/VFS",
	.summary = "Count cache kernel function calls",
	.description =
	"Counts calls of folio_mark_accessed (mark_page_accessed), mark_buffer_dirty and\n"
	"filemap_add_folio (add_to_page_cache_lru) by fentry, else kprobes, and dirtied folios at\n"
	"writeback:writeback_dirty_folio; the folio names where the kernel has them, the page names\n"
	"where only those exist. As in BCC, a call counts one: a large folio of several pages is one\n"
	"access or one addition, and a buffered read that touches the same folio again does not mark\n"
	"it again. Without fentry or kprobes, tracepoints: pages each buffered read asks\n"
	"for (filemap:mm_filemap_get_pages: accesses through mmap are not seen, and a read that waits\n"
	"for read-ahead may count its pages twice), pages added (mm_filemap_add_to_page_cache) and\n"
	"block:block_dirty_buffer; HITS and MISSES are then pages of buffered reads rather than\n"
	"function calls.",
	.examples =
	"    cachestat             # print a line every second\n"
	"    cachestat -T 1 5      # with timestamps, 5 times\n",
	.opts = opts,
	.fallback = "tracepoints: pages of buffered reads and pages added, not function calls; mmap accesses not seen",
	.skeleton = &cachestat_bpf__skeleton,
	.optional_probes = BCCT_NAMES("dirtied", "buffer_dirty"),
	.run = run);

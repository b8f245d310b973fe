/* readahead: read-ahead pages left unused, and the age of the used ones when first used; BCC's
 * -d and output (bpf/readahead.bpf.c: readahead and filemap tracepoints, folio_mark_accessed
 * where kprobes work). */
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "readahead.skel.h"

BCCT_SKELETON(readahead_bpf);

static const struct bcct_opt opts[] = {
	STD_DURATION('d'),
	STD_FILTERS,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct readahead_bpf *skel = p;
	long long unused = 0;
	unsigned int zero = 0;

	bpf_map__lookup_elem(skel->maps.unused, &zero, sizeof(zero), &unused, sizeof(unused), 0);
	out_text("\n");
	out_begin_members();
	/* A page read ahead before the run and used during it counts -1: never below 0. */
	out_int("unused_pages", "Read-ahead unused pages: %lld", unused > 0 ? unused : 0);
	out_end();
	out_text("Histogram of read-ahead used page age (ms):\n\n");
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "age (ms)",
		.clear = true,
	});
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(readahead,
	.category = "file/VFS",
	.summary = "Show performance of read-ahead cache",
	.description =
	"Pages entering the page cache during a readahead (from readahead:page_cache_sync_ra or\n"
	"page_cache_async_ra to the read or fault that asked, as BCC's do_page_cache_ra window)\n"
	"are born; a read copying one (its first 64 pages), a fault mapping it or, where kprobes\n"
	"work, folio_mark_accessed uses it: the histogram is the age of used pages, the count the\n"
	"pages never used. Pages are keyed by file and index (BCC: by struct page). Kernels\n"
	"without the readahead tracepoints refuse in one line.",
	.examples =
	"    readahead          # summarize on Ctrl-C\n"
	"    readahead -d 10    # trace for 10 seconds and summarize\n",
	.opts = opts,
	.skeleton = &readahead_bpf__skeleton,
	.optional_probes = BCCT_NAMES("page_access"),
	.run = run);

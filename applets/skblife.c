/* skblife (BPF Performance Tools, ch. 10): sk_buff lifespans, allocation to free, as one log2
 * histogram in nanoseconds, as the book's skblife.bt. */
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "skblife.skel.h"

BCCT_SKELETON(skblife_bpf);

static const struct bcct_opt opts[] = {
	STD_INTERVAL,
	STD_COUNT,
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct skblife_bpf *s = p;

	out_interval_begin();
	return hist_print_map(s->maps.hists, &(struct bcct_hist_print){
		.unit = "nsecs",
		.clear = true,
	});
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing sk_buff lifespans... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(skblife,
	.category = "network",
	.summary = "sk_buff lifespans, allocation to free, as a histogram (book)",
	.description =
	"The time each socket buffer (sk_buff) lives, from its allocation from the\n"
	"skbuff_head_cache or skbuff_fclone_cache slab caches to its free, a log2 histogram in\n"
	"nanoseconds: the kmem:kmem_cache_alloc and kmem:kmem_cache_free tracepoints, which name\n"
	"the cache (the book's skblife.bt finds the caches for its kprobes on the same functions\n"
	"through their kernel variables). Where the allocation's tracepoint has no name (up to\n"
	"Linux 6.1), allocations of an sk_buff's size are timed and the free's cache name\n"
	"confirms them. Buffers allocated before the start are not timed.",
	.examples =
	"    skblife          # sk_buff lifespans until Ctrl-C\n"
	"    skblife 1 5      # print every second, 5 times\n",
	.opts = opts,
	.optional_probes = BCCT_NAMES("skb_alloc_node"),   /* before 6.1 only */
	.skeleton = &skblife_bpf__skeleton,
	.run = run);

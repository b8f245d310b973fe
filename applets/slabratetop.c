/* slabratetop: kernel slab cache allocations per cache, count and bytes, top-style
 * (core/top.h), as BCC's slabratetop; -p and -s as libbpf-tools' slabratetop. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/top.h"
#include "slabratetop.skel.h"
#include "slabratetop.h"

BCCT_SKELETON(slabratetop_bpf);

static const struct bcct_opt opts[] = {
	TOP_NOCLEAR,
	TOP_MAXROWS,
	TOP_SORT('s', "sort column, default size (size, count)"),
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* bcct_map_collect's layout: the key (a multiple of 8 bytes), then the value. */
struct row {
	struct slabratetop_key key;
	struct slabratetop_val val;
};

TOP_BY_FIELD(struct row, size)
TOP_BY_FIELD(struct row, count)

static void print_row(void *ctx, const void *entry)
{
	const struct row *r = entry;
	char name[sizeof(r->key.name) + 1];

	(void)ctx;
	snprintf(name, sizeof(name), "%s", r->key.name);
	out_begin();
	out_str("cache", "%-32s", name);
	out_uint("allocs", "%6llu", r->val.count);
	out_uint("bytes", "%10llu", r->val.size);
	out_end();
}

static const struct bcct_top display = {
	.sorts = (const struct bcct_top_sort[]){ { "size", by_size }, { "count", by_count }, { NULL } },
	.title = top_title_loadavg,
	.header = "CACHE                            ALLOCS      BYTES",
	.row = print_row,
};

static struct bpf_map *rows_map(void *skel)
{
	return ((struct slabratetop_bpf *)skel)->maps.counts;
}

static int run(void)
{
	return top_run_map(&display, NULL, rows_map);
}

BCCT_APPLET(slabratetop,
	.category = "memory",
	.summary = "Kernel SLAB/SLUB memory cache allocation rate top",
	.description =
	"Counts kmem_cache_alloc() calls and the bytes they take (the cache's object size) per slab\n"
	"cache, every interval, largest first.",
	.fallback = "kmem:kmem_cache_alloc (kernel 6.1+, which names the cache): also counts the\n"
	"_node and _lru allocations BCC's kprobe on kmem_cache_alloc misses",
	.examples =
	"    slabratetop            # kmem_cache_alloc() top, 1 second refresh\n"
	"    slabratetop -C         # don't clear the screen\n"
	"    slabratetop 5          # 5 second summaries\n"
	"    slabratetop 5 10       # 5 second summaries, 10 times only\n",
	.opts = opts,
	.skeleton = &slabratetop_bpf__skeleton,
	.run = run);

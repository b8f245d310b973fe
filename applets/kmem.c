/* kmem (BPF Performance Tools, ch. 14): kernel memory allocations by process, the count, average
 * and total bytes of kmalloc and kmem_cache_alloc (the book's stats() per process). */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "kmem.h"
#include "kmem.skel.h"

BCCT_SKELETON(kmem_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void row(const void *key, const void *value)
{
	const struct kmem_key *k = key;
	const struct kmem_value *v = value;

	out_begin();
	out_str("comm", "%-16s ", k->comm);
	out_uint("count", "%10llu ", v->count);
	out_uint("avg_bytes", "%10llu ", v->count ? v->bytes / v->count : 0);
	out_uint("bytes", "%14llu", v->bytes);
	out_end();
}

static int print(void *p, bool final)
{
	struct kmem_bpf *skel = p;

	out_interval_begin();
	out_header("%-16s %10s %10s %14s", "COMM", "COUNT", "AVG_BYTES", "TOTAL_BYTES");
	return table_print_values(skel->maps.counts, row, true);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing kmem allocations (kmalloc, kmem_cache_alloc). Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(kmem,
	.category = "memory",
	.summary = "Kernel memory allocations by process: count, average and total bytes (book)",
	.optional_probes = BCCT_NAMES("kmalloc_node", "cache_alloc_node"),
	.examples =
	"    kmem               # allocations by process until Ctrl-C\n"
	"    kmem -p 181        # PID 181 only\n"
	"    kmem 1 5           # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &kmem_bpf__skeleton,
	.run = run);

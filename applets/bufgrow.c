/* bufgrow (BPF Performance Tools, ch. 8): the buffer cache's growth (block device pages added to
 * the page cache) by process, in KB, until Ctrl-C or per interval (bpf/bufgrow.bpf.c). */
#include <unistd.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "bufgrow.skel.h"

BCCT_SKELETON(bufgrow_bpf);

static const struct bcct_opt opts[] = { FS_COUNTS_OPTS };

static void row(const void *key, unsigned long long kb)
{
	out_begin();
	out_str("comm", "%-16s", key);  /* the key is the NUL-padded comm */
	out_uint("kb", "%10llu", kb);
	out_end();
}

static int print(void *p, bool final)
{
	struct bufgrow_bpf *skel = p;

	out_interval_begin();
	out_header("%-16s %10s", "COMM", "KB");
	return table_print_counts(skel->maps.counts, row, true);
}

static int configure(void *p)
{
	struct bufgrow_bpf *skel = p;

	skel->rodata->bufgrow_page_kb = sysconf(_SC_PAGESIZE) / 1024;
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing buffer cache growth... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(bufgrow,
	.category = "file/VFS",
	.summary = "Buffer cache growth (block device pages cached) by process, in KB (book)",
	.description =
	"Pages added to the page cache of block devices (reads and writes of /dev/sdX through the\n"
	"cache, file systems' metadata), summed per process in KB: at filemap_add_folio (kprobe),\n"
	"the work of the book's add_to_page_cache_lru; without kprobes at the raw hook of the\n"
	"filemap:mm_filemap_add_to_page_cache tracepoint, the same pages. The book tests the mode\n"
	"with a mask that also matches directories and character devices; here, block devices only.",
	.examples =
	"    bufgrow            # buffer cache growth by process until Ctrl-C\n"
	"    bufgrow 1 5        # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &bufgrow_bpf__skeleton,
	.run = run);

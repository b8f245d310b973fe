/* fmapfault (BPF Performance Tools, ch. 8): page faults on file mappings counted by process
 * name and file name (bpf/fmapfault.bpf.c: filemap_fault, else its tracepoint). */
#include "core/table.h"
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/run.h"
#include "fmapfault.skel.h"
#include "fmapfault.h"

BCCT_SKELETON(fmapfault_bpf);

static const struct bcct_opt opts[] = { FS_COUNTS_OPTS };

static void row(const void *key, unsigned long long count)
{
	const struct fmapfault_key *k = key;

	out_begin();
	out_str("comm", "%-16s", k->comm);
	out_uint("count", "%8llu", count);
	out_str("file", "%s", k->name);
	out_end();
}

static int print(void *p, bool final)
{
	struct fmapfault_bpf *skel = p;

	out_interval_begin();
	out_header("%-16s %8s %s", "COMM", "COUNT", "FILE");
	return table_print_counts(skel->maps.counts, row, true);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing page faults on mapped files... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(fmapfault,
	.category = "file/VFS",
	.summary = "Page faults on file mappings counted by process and file (book)",
	.description =
	"Counts filemap_fault, the page-cache fault handler of file mappings (fentry, else\n"
	"kprobe), by the faulting process's name and the file's name, as the book's tool: the\n"
	"faults that need the handler (a page to read, a write to a shared mapping; read faults\n"
	"on cached pages are mostly mapped without it, around an earlier one). Without kprobes and\n"
	"fentry, the filemap:mm_filemap_fault tracepoint (fired inside filemap_fault) is counted:\n"
	"faults past the end of the file (SIGBUS) are missed, and a hard-linked file is named by\n"
	"one of its names.",
	.examples =
	"    fmapfault          # count file-mapping page faults until Ctrl-C\n"
	"    fmapfault 1 5      # print every second, 5 times\n"
	"    fmapfault -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &fmapfault_bpf__skeleton,
	.fallback = "the filemap:mm_filemap_fault tracepoint: not faults past the end of the file; "
		    "one name of a hard-linked file",
	.run = run);

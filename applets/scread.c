/* scread (BPF Performance Tools, ch. 8): read(2) calls counted by file name, until Ctrl-C or
 * per interval. */
#include <unistd.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "scread.skel.h"

BCCT_SKELETON(scread_bpf);

static const struct bcct_opt opts[] = { FS_COUNTS_OPTS };

static void row(const void *key, unsigned long long count)
{
	out_begin();
	out_uint("count", "%8llu", count);
	out_str("file", "%s", key);     /* the key is the NUL-padded name */
	out_end();
}

static int print(void *p, bool final)
{
	struct scread_bpf *skel = p;

	out_interval_begin();
	out_header("%8s %s", "COUNT", "FILE");
	return table_print_counts(skel->maps.counts, row, true);
}

static int configure(void *p)
{
	struct scread_bpf *skel = p;

	skel->rodata->scread_self = getpid();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing read() syscalls by file name... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(scread,
	.category = "file/VFS",
	.summary = "read(2) calls counted by file name (book)",
	.examples =
	"    scread             # count read() calls by file name until Ctrl-C\n"
	"    scread 1 5         # print every second, 5 times\n"
	"    scread -p 181      # only PID 181\n",
	.opts = opts,
	.skeleton = &scread_bpf__skeleton,
	.run = run);

/* mmapfiles (BPF Performance Tools, ch. 8): file mappings counted by file, named with its
 * directory and that directory's parent (bpf/mmapfiles.bpf.c: do_mmap, else the mmap syscall). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "mmapfiles.skel.h"
#include "mmapfiles.h"

BCCT_SKELETON(mmapfiles_bpf);

static const struct bcct_opt opts[] = { FS_COUNTS_OPTS };

static void row(const void *key, unsigned long long count)
{
	const struct mmapfiles_key *k = key;
	char path[3 * FS_NAME_LEN + 3];

	/* The root ("/") as a directory: no slash doubled, and nothing above it. */
	if (!strcmp(k->dir1, "/"))
		snprintf(path, sizeof(path), "/%s", k->name);
	else
		snprintf(path, sizeof(path), "%s%s%s/%s", k->dir2, strcmp(k->dir2, "/") ? "/" : "",
			 k->dir1, k->name);
	out_begin();
	out_uint("count", "%8llu", count);
	if (env.json) {
		out_str("dir2", "", k->dir2);
		out_str("dir1", "", k->dir1);
		out_str("file", "", k->name);
	} else {
		out_str("file", "%s", path);
	}
	out_end();
}

static int print(void *p, bool final)
{
	struct mmapfiles_bpf *skel = p;

	out_interval_begin();
	out_header("%8s %s", "COUNT", "DIR2/DIR1/FILE");
	return table_print_counts(skel->maps.counts, row, true);
}

static int configure(void *p)
{
	struct mmapfiles_bpf *skel = p;

	skel->rodata->mmapfiles_self = getpid();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing mmap() of files... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(mmapfiles,
	.category = "file/VFS",
	.summary = "File mappings (mmap) counted by file and its two directories (book)",
	.description =
	"Counts do_mmap calls with a file (kprobe), as the book's tool, by the file's name, its\n"
	"directory's and that directory's parent's (/usr/lib/x86_64-linux-gnu/libc.so.6 is\n"
	"lib/x86_64-linux-gnu/libc.so.6). Without kprobes, the mmap syscall with a file\n"
	"descriptor is counted: not the kernel's own mappings (execve's ELF loader).",
	.examples =
	"    mmapfiles          # count file mappings by file until Ctrl-C\n"
	"    mmapfiles 1 5      # print every second, 5 times\n"
	"    mmapfiles -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &mmapfiles_bpf__skeleton,
	.fallback = "the mmap syscall with a file: not the kernel's own mappings (execve)",
	.run = run);

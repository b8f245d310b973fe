/* filetop: file reads and writes by thread, top-style (core/top.h). */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/output.h"
#include "core/run.h"
#include "core/top.h"
#include "filetop.skel.h"
#include "filetop.h"

BCCT_SKELETON(filetop_bpf);

static struct {
	bool all_files;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('a', "all-files", &o.all_files, "include non-regular file types (sockets, FIFOs, etc)"),
	TOP_NOCLEAR,
	TOP_MAXROWS,
	TOP_SORT('s', "sort column, default all (all, reads, writes, rbytes, wbytes)"),
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

/* bcct_map_collect's layout: the key (a multiple of 8 bytes), then the value. */
struct row {
	struct filetop_key key;
	struct filetop_val val;
};

static int by_all(const void *a, const void *b)
{
	const struct filetop_val *x = &((const struct row *)a)->val, *y = &((const struct row *)b)->val;

	return top_larger_first(x->rbytes + x->wbytes + x->reads + x->writes,
				y->rbytes + y->wbytes + y->reads + y->writes);
}

TOP_BY_FIELD(struct row, reads)
TOP_BY_FIELD(struct row, writes)
TOP_BY_FIELD(struct row, rbytes)
TOP_BY_FIELD(struct row, wbytes)

static void print_row(void *ctx, const void *entry)
{
	const struct row *r = entry;
	char name[FILETOP_NAME_LEN + 1], comm[sizeof(r->key.comm) + 1];

	snprintf(comm, sizeof(comm), "%s", r->key.comm);
	snprintf(name, sizeof(name), "%.*s", FILETOP_NAME_LEN, r->key.name);
	/* BCC marks a name longer than it kept by replacing its last three characters. */
	if (r->key.name_len > FILETOP_NAME_LEN)
		memcpy(name + FILETOP_NAME_LEN - 3, "...", 4);
	out_begin();
	out_int("tid", "%-7lld", r->key.tid);
	out_str("comm", "%-16s", comm);
	out_uint("reads", "%-6llu", r->val.reads);
	out_uint("writes", "%-6llu", r->val.writes);
	out_uint("r_kb", "%-7llu", r->val.rbytes / 1024);
	out_uint("w_kb", "%-7llu", r->val.wbytes / 1024);
	out_str("type", "%1s", (char[]){ r->key.type, 0 });
	out_str("file", "%s", name);
	out_end();
}

static const struct bcct_top display = {
	.sorts = (const struct bcct_top_sort[]){
		{ "all", by_all }, { "reads", by_reads }, { "writes", by_writes },
		{ "rbytes", by_rbytes }, { "wbytes", by_wbytes }, { NULL },
	},
	.title = top_title_loadavg,
	.header = "TID     COMM             READS  WRITES R_Kb    W_Kb    T FILE",
	.row = print_row,
};

static int configure(void *p)
{
	struct filetop_bpf *skel = p;

	skel->rodata->all_files = o.all_files;
	fs_op_syscall_nrs(FS_OP_READ, (int *)skel->rodata->read_nrs);
	fs_op_syscall_nrs(FS_OP_WRITE, (int *)skel->rodata->write_nrs);
	return 0;
}

static struct bpf_map *rows_map(void *skel)
{
	return ((struct filetop_bpf *)skel)->maps.counts;
}

static int run(void)
{
	return top_run_map(&display, configure, rows_map);
}

BCCT_APPLET(filetop,
	.category = "file/VFS",
	.summary = "File reads and writes by process",
	.description =
	"Counts vfs_read() and vfs_write() calls and the bytes they ask for (fentry, else kprobes).\n"
	"Without either, it counts read- and write-family syscalls at raw_syscalls:sys_exit and the\n"
	"bytes they transferred: I/O the kernel does itself (sendfile, splice, io_uring) is missed.",
	.examples =
	"    filetop            # file I/O top, 1 second refresh\n"
	"    filetop -C         # don't clear the screen\n"
	"    filetop -p 1       # PID 1 only\n"
	"    filetop 5          # 5 second summaries\n"
	"    filetop 5 10       # 5 second summaries, 10 times only\n",
	.opts = opts,
	.fallback = "syscalls at raw_syscalls:sys_exit: bytes transferred, not requested; sendfile, splice and io_uring I/O not seen",
	.skeleton = &filetop_bpf__skeleton,
	.run = run);

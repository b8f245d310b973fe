/* mmapsnoop (BPF Performance Tools, ch. 7): trace mmap() calls of files system-wide, one line
 * each, in the book's columns. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "mmapsnoop.skel.h"
#include "mmapsnoop.h"

BCCT_SKELETON(mmapsnoop_bpf);

/* uapi/asm-generic/mman-common.h */
#define PROT_READ_ 0x1
#define PROT_WRITE_ 0x2
#define PROT_EXEC_ 0x4
#define MAP_SHARED_ 0x1
#define MAP_PRIVATE_ 0x2
#define MAP_FIXED_ 0x10
#define MAP_ANONYMOUS_ 0x20

static const struct bcct_opt opts[] = {
	OPT_FLAG_('T', "time", OPT_DEST(env, timestamp), "include time column on output (HH:MM:SS)"),
	STD_PID('p'),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

static void print_header(void *ctx)
{
	(void)ctx;
	if (env.timestamp)
		out_text("%-8s ", "TIME");
	out_text("%-6s %-14.14s %-4s %-5s %-8s %-8s %s\n", "PID", "COMM", "PROT", "MAP", "OFFS(KB)",
		 "SIZE(KB)", "FILE");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct mmapsnoop_event *e = data;
	char comm[sizeof(e->comm) + 1], file[sizeof(e->file) + 1], prot[4], map[5];

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	snprintf(comm, sizeof(comm), "%s", e->comm);
	snprintf(file, sizeof(file), "%s", e->file);
	snprintf(prot, sizeof(prot), "%c%c%c", e->prot & PROT_READ_ ? 'R' : '-',
		 e->prot & PROT_WRITE_ ? 'W' : '-', e->prot & PROT_EXEC_ ? 'E' : '-');
	snprintf(map, sizeof(map), "%c%c%c%c", e->flags & MAP_SHARED_ ? 'S' : '-',
		 e->flags & MAP_PRIVATE_ ? 'P' : '-', e->flags & MAP_FIXED_ ? 'F' : '-',
		 e->flags & MAP_ANONYMOUS_ ? 'A' : '-');
	out_begin();
	if (env.timestamp)
		out_time("time");
	out_int("pid", "%-6lld", e->pid);
	out_str("comm", "%-14.14s", comm);
	out_str("prot", "%-4s", prot);
	out_str("map", "%-5s", map);
	if (env.json) {   /* exact, where the text prints KB */
		out_uint("offset_bytes", "", e->off);
		out_uint("size_bytes", "", e->len);
	} else {
		out_uint("offs_kb", "%-8llu", e->off / 1024);
		out_uint("size_kb", "%-8llu", e->len / 1024);
	}
	out_str("file", "%s", file);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.on_start = print_header,
		.on_event = on_event,
	});
}

BCCT_APPLET(mmapsnoop,
	.category = "memory",
	.summary = "Trace mmap() calls of files system-wide (book)",
	.description =
	"Prints each mmap() of a file as it is called: the protection (R, W, E), the flags\n"
	"(Shared, Private, Fixed, Anonymous), the offset and length in Kbytes and the file's name.\n"
	"Anonymous mappings are not shown.",
	.examples =
	"    mmapsnoop           # trace all mmap calls\n"
	"    mmapsnoop -T        # include time column (HH:MM:SS)\n",
	.opts = opts,
	.skeleton = &mmapsnoop_bpf__skeleton,
	.run = run);

/* filelife: files created and deleted while tracing, with their age at deletion; BCC's -p and
 * columns (TIME PID COMM AGE(s) FILE). Kprobes on vfs_create, security_inode_create, vfs_open and
 * vfs_unlink as BCC; without kprobes, the open syscalls that created a file and the unlink
 * syscalls (bpf/filelife.bpf.c). */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "filelife.skel.h"
#include "filelife.h"

BCCT_SKELETON(filelife_bpf);

#define FILELIFE_NAME_LEN 32    /* BCC prints DNAME_INLINE_LEN bytes of the name */

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_DURATION('d'),
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("%-8s %-7s %-16s %-7s %s", "TIME", "PID", "COMM", "AGE(s)", "FILE");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct filelife_event *e = data;
	char name[sizeof(((struct filelife_event *)0)->file)];

	if (size < sizeof(*e))
		return 0;
	snprintf(name, sizeof(name), "%.*s", FILELIFE_NAME_LEN, e->file);
	out_event_time(e->ts);
	out_begin();
	out_time("time");
	out_int("pid", "%-7lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	/* BCC: the age in whole milliseconds, printed as seconds. */
	if (env.json)
		out_float("age_s", "", e->age_ns / 1e9);
	else
		out_float("age_s", "%-7.2f", (double)(e->age_ns / 1000000) / 1000);
	out_str("file", "%s", env.json ? e->file : name);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(filelife,
	.category = "file/VFS",
	.summary = "Trace the lifespan of short-lived files (created, then deleted)",
	.description =
	"A file is born at vfs_create, security_inode_create or vfs_open (when it creates the\n"
	"file) and dies at vfs_unlink, all kprobes, as BCC does. Without kprobes: born when an\n"
	"open, openat, openat2 or creat call creates it, dead when unlink or unlinkat names it;\n"
	"the path is read from the caller's memory and matched on its last two components, so\n"
	"files made by mknod, link or rename, and unlinks through \"..\", are not seen. arm64 has\n"
	"no open, creat or unlink calls: there openat, openat2 and unlinkat are all.",
	.examples =
	"    filelife           # trace lifecycle of file(create->remove)\n"
	"    filelife -p 181    # only trace PID 181\n",
	.opts = opts,
	.skeleton = &filelife_bpf__skeleton,
	.optional_probes = BCCT_NAMES("vfs_create", "security_inode_create"),
	.fallback = "files created by the open syscalls and removed by unlink/unlinkat, matched by "
		    "their names (not mknod, link, rename)",
	.run = run);

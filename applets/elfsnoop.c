/* elfsnoop: ELF binaries loaded through exec, one line each, as the book's elfsnoop.bt (BPF
 * Performance Tools, ch. 11): the interpreter and file the kernel was given, the file's mount
 * and inode, and load_elf_binary's result. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "elfsnoop.skel.h"
#include "elfsnoop.h"

BCCT_SKELETON(elfsnoop_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_UID('u'),
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	(void)ctx;
	out_header("%-8s %-6s %-18s %-18s %-10s %-6s %s", "TIME", "PID", "INTERPRETER", "FILE", "MOUNT",
		   "INODE", "RET");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct elfsnoop_event *e = data;
	char interp[sizeof(e->interp) + 1], file[sizeof(e->file) + 1], mount[sizeof(e->mount) + 1];

	(void)ctx;
	(void)size;
	snprintf(interp, sizeof(interp), "%s", e->interp);
	snprintf(file, sizeof(file), "%s", e->file);
	snprintf(mount, sizeof(mount), "%s", e->mount);
	out_event_time(e->ts);
	out_begin();
	out_time("time");
	out_int("pid", "%-6lld", e->pid);
	out_str("interpreter", "%-18s", interp);
	out_str("file", "%-18s", file);
	out_str("mount", "%-10s", mount);
	out_uint("inode", "%-6llu", e->ino);
	out_int("ret", "%lld", e->ret);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing ELF loads. Ctrl-C to end",
		.on_start = header,
		.on_event = on_event,
	});
}

BCCT_APPLET(elfsnoop,
	.category = "security",
	.summary = "Trace ELF binaries loaded by exec",
	.description =
	"One line per load_elf_binary() (fexit): the interpreter and file names exec was given,\n"
	"the file's mount (its root's name) and inode, and the result (0, or -errno such as\n"
	"-ENOEXEC for a file that is no ELF binary).",
	.examples =
	"    elfsnoop           # trace ELF loads\n"
	"    elfsnoop -u 1000   # loads by UID 1000 only\n",
	.opts = opts,
	.skeleton = &elfsnoop_bpf__skeleton,
	.fallback = "sched:sched_process_exec: only execs that succeeded (RET 0), of any binary "
		    "format (a script shows as its own file)",
	.run = run);

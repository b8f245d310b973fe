/* modsnoop: kernel module loads, one line each, as the book's modsnoop.bt (BPF Performance
 * Tools, ch. 11): the module's name and the task loading it. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "modsnoop.skel.h"
#include "modsnoop.h"

BCCT_SKELETON(modsnoop_bpf);

static const struct bcct_opt opts[] = {
	STD_FILTERS,
	OPT_END_,
};

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct modsnoop_event *e = data;
	char comm[sizeof(e->comm) + 1], name[sizeof(e->name) + 1], text[160];

	(void)ctx;
	(void)size;
	snprintf(comm, sizeof(comm), "%s", e->comm);
	snprintf(name, sizeof(name), "%s", e->name);
	out_event_time(e->ts);
	out_begin();
	if (env.json) {
		json_str("module", name);
		json_str("comm", comm);
		json_int("pid", e->pid);
		json_int("uid", e->uid);
	} else {
		snprintf(text, sizeof(text), "module init: %s, by %s (PID %u, UID %u)", name, comm,
			 e->pid, e->uid);
		out_time("time");
		out_str("text", "%s", text);
	}
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing kernel module loads. Hit Ctrl-C to end.",
		.on_event = on_event,
	});
}

BCCT_APPLET(modsnoop,
	.category = "security",
	.summary = "Trace kernel module loads",
	.description =
	"One line per module initialized (do_init_module: fentry, else a kprobe; else the\n"
	"module:module_load tracepoint): its name and the task loading it. A kernel built\n"
	"without module support has none of these: refused in one line.",
	.examples =
	"    modsnoop           # trace module loads\n",
	.opts = opts,
	.skeleton = &modsnoop_bpf__skeleton,
	.run = run);

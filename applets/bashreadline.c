/* bashreadline: print entered bash commands from all running shells, as BCC's bashreadline. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "bashreadline.skel.h"
#include "bashreadline.h"

BCCT_SKELETON(bashreadline_bpf);

static struct {
	const char *shared;
	struct bashreadline_bpf *skel;
} o;

static const struct bcct_opt opts[] = {
	{ .type = OPT_STRING, .short_name = 's', .long_name = "shared", .dest = &o.shared,
	  .argname = "SHARED", .implicit = "/lib/libreadline.so",
	  .help = "specify the location of libreadline.so library. Default is /lib/libreadline.so" },
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("%-9s %-7s %s", "TIME", "PID", "COMMAND");
}

static int on_event(void *ctx, const void *data, size_t len)
{
	const struct bashreadline_event *e = data;

	out_event_time(e->ts);
	out_begin();
	out_time_fmt("time", "%-9s");
	out_int("pid", "%-7lld", e->pid);
	out_str("command", "%s", e->str);
	out_end();
	return 0;
}

static int configure(void *p)
{
	o.skel = p;
	return 0;
}

static int attach(void *ctx)
{
	/* BCC: the readline of /bin/bash, or of the library -s names. */
	const char *path = o.shared ? o.shared : "/bin/bash";
	int err;

	if (access(path, R_OK)) {
		bcct_err("%s: %s", path, strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	err = bcct_attach_uprobe(o.skel->progs.readline_return, true, 0, path, "readline", 0);
	if (err == -ENOENT) {
		bcct_err("%s: no function readline in it", path);
		return BCCT_EXIT_FAIL;
	}
	return err;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = on_event,
	});
}

BCCT_APPLET(bashreadline,
	.category = "library",
	.summary = "Print entered bash commands from all running shells",
	.examples =
	"    bashreadline                          # commands typed in every bash\n"
	"    bashreadline -s /usr/lib/x86_64-linux-gnu/libreadline.so.8\n"
	"                                          # readline of a library (other shells)\n",
	.opts = opts,
	.skeleton = &bashreadline_bpf__skeleton,
	.run = run);

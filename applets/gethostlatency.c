/* gethostlatency: latency of host name lookups through libc (getaddrinfo, gethostbyname,
 * gethostbyname2), with the name asked for, as BCC's gethostlatency. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "gethostlatency.skel.h"
#include "gethostlatency.h"

BCCT_SKELETON(gethostlatency_bpf);

static struct {
	const char *libc;
	struct gethostlatency_bpf *skel;
} o;

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	/* libbpf-tools' option: the C library to attach to (BCC always takes "c"). */
	OPT_STR_('l', "libc", &o.libc, "LIBC", "specify which libc.so to use (a path or a name as \"c\")"),
	STD_FILTERS,
	OPT_END_,
};

static const char *const resolvers[] = { "getaddrinfo", "gethostbyname", "gethostbyname2" };

static void header(void *ctx)
{
	out_header("%-9s %-7s %-16s %10s %s", "TIME", "PID", "COMM", "LATms", "HOST");
}

static int on_event(void *ctx, const void *data, size_t len)
{
	const struct gethostlatency_event *e = data;

	out_event_time(e->ts);
	out_begin();
	out_time_fmt("time", "%-9s");
	out_int("pid", "%-7lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_float("lat_ms", "%10.2f", e->delta_ns / 1e6);
	out_str("host", "%s", e->host);
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
	struct sys_library lib;
	int attached = 0, err = 0;
	pid_t pid;

	if (sys_library_open(&lib, env.pid, o.libc ? o.libc : "c", false)) {
		bcct_err("cannot find the C library \"%s\"", o.libc ? o.libc : "c");
		return BCCT_EXIT_FAIL;
	}
	/* Only the process's own mappings get breakpoints when it exists; else every process's,
	 * and the program's PID filter keeps the one that may appear. */
	pid = lib.fd >= 0 ? env.pid : 0;
	for (size_t i = 0; i < sizeof(resolvers) / sizeof(resolvers[0]) && !err; i++) {
		err = bcct_attach_uprobe(o.skel->progs.lookup_entry, false, pid, lib.attach, resolvers[i], 0);
		if (err == -ENOENT) {   /* not in this library (a static program has what it calls) */
			bcct_info("%s: no function %s", lib.shown, resolvers[i]);
			err = 0;
			continue;
		}
		if (!err)
			err = bcct_attach_uprobe(o.skel->progs.lookup_return, true, pid, lib.attach,
						 resolvers[i], 0);
		attached += !err;
	}
	if (err < 0) {   /* libbpf's own codes (not an ELF file) read better in its words */
		char why[128];

		libbpf_strerror(err, why, sizeof(why));
		bcct_err("%s: cannot attach uprobes: %s", lib.shown, why);
		err = BCCT_EXIT_FAIL;
	} else if (!attached) {
		bcct_err("%s: none of getaddrinfo, gethostbyname, gethostbyname2 in it", lib.shown);
		err = BCCT_EXIT_FAIL;
	}
	sys_library_close(&lib);
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

BCCT_APPLET(gethostlatency,
	.category = "library",
	.summary = "Show latency for getaddrinfo/gethostbyname[2] calls",
	.examples =
	"    gethostlatency           # time getaddrinfo/gethostbyname[2] calls\n"
	"    gethostlatency -p 181    # only trace PID 181\n",
	.opts = opts,
	.skeleton = &gethostlatency_bpf__skeleton,
	.run = run);

/* syncsnoop: trace sync() and the rest of the sync family (syncfs, fsync, fdatasync, msync,
 * sync_file_range). BCC's columns (TIME(s), CALL) and its "sync()" call text; the other calls
 * print the same way under their own names. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "syncsnoop.skel.h"
#include "syncsnoop.h"

BCCT_SKELETON(syncsnoop_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_DURATION('d'),
	STD_FILTERS,
	OPT_END_,
};

static const char *const call_names[SYNC_CALLS] = {
	[SYNC_SYNC] = "sync", [SYNC_SYNCFS] = "syncfs", [SYNC_FSYNC] = "fsync",
	[SYNC_FDATASYNC] = "fdatasync", [SYNC_MSYNC] = "msync",
	[SYNC_FILE_RANGE] = "sync_file_range",
};

static void header(void *ctx)
{
	out_header("%-18s %s", "TIME(s)", "CALL");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct syncsnoop_event *e = data;
	char call[32];

	if (size < sizeof(*e) || e->call >= SYNC_CALLS)
		return 0;
	snprintf(call, sizeof(call), "%s()", call_names[e->call]);
	out_begin();
	out_float("time_s", "%-18.9f", e->ts / 1e9);
	out_str("call", "%s", call);
	if (env.json) {
		out_int("pid", "", e->pid);
		out_str("comm", "", e->comm);
	}
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

BCCT_APPLET(syncsnoop,
	.category = "syscalls",
	.summary = "Trace sync() and related syscalls (syncfs, fsync, fdatasync, msync, sync_file_range)",
	.examples =
	"    syncsnoop           # trace sync family calls system-wide\n"
	"    syncsnoop -p 181    # only trace PID 181\n",
	.opts = opts,
	.skeleton = &syncsnoop_bpf__skeleton,
	.run = run);

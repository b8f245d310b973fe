/* ffaults (BPF Performance Tools, ch. 7): page faults by the name of the file mapped there. */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "ffaults.skel.h"

BCCT_SKELETON(ffaults_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void row(const void *key, unsigned long long count)
{
	out_begin();
	out_uint("count", "%8llu", count);
	out_str("file", " %s", key);     /* the key is the NUL-padded name */
	out_end();
}

static int print(void *p, bool final)
{
	struct ffaults_bpf *skel = p;

	out_interval_begin();
	out_header("%8s %s", "FAULTS", "FILE");
	return table_print_counts(skel->maps.counts, row, true);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing page faults by file name... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(ffaults,
	.category = "memory",
	.summary = "Page faults by the name of the file mapped (book)",
	.fallback = "user-mode faults only (the exceptions:page_fault_user tracepoint and the task's "
		    "mapping at the address), not the kernel's faults on user memory",
	.examples =
	"    ffaults            # count faults by file name until Ctrl-C\n"
	"    ffaults -p 181     # PID 181 only\n"
	"    ffaults 1 5        # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &ffaults_bpf__skeleton,
	.run = run);

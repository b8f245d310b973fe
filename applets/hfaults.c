/* hfaults (BPF Performance Tools, ch. 7): huge page faults counted by process. */
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "hfaults.skel.h"

BCCT_SKELETON(hfaults_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct hfaults_bpf *skel = p;

	out_interval_begin();
	return table_print_pid_comm_counts(skel->maps.counts, true);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing Huge Page faults per process... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(hfaults,
	.category = "memory",
	.summary = "Huge page faults by process (book)",
	.fallback = "user-mode faults in hugetlb mappings (the exceptions:page_fault_user tracepoint "
		    "and the task's mapping at the address), not hugetlb_fault's every call",
	.examples =
	"    hfaults            # count huge page faults by process until Ctrl-C\n"
	"    hfaults -p 181     # PID 181 only\n",
	.opts = opts,
	.skeleton = &hfaults_bpf__skeleton,
	.run = run);

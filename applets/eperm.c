/* eperm: syscalls failing with EPERM or EACCES, counted by process and syscall, as the book's
 * eperm.bt (BPF Performance Tools, ch. 11), printed as a table at Ctrl-C or per interval. */
#include <stdio.h>
#include "core/applet.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "eperm.skel.h"
#include "eperm.h"

BCCT_SKELETON(eperm_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_UID('u'),
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_FILTERS,
	STD_INTERVAL,
	STD_COUNT,
	OPT_END_,
};

static int print(void *ctx, bool final)
{
	struct eperm_bpf *skel = ctx;
	struct bcct_entries e;

	(void)final;
	if (bcct_map_collect(skel->maps.counts, &e) < 0)
		return -1;
	bcct_entries_sort_by_count(&e, true);
	out_interval_begin();
	out_header("%-16s %-20s %-7s %8s", "COMM", "SYSCALL", "ERR", "COUNT");
	out_list("rows");
	for (size_t i = 0; i < e.n; i++) {
		const struct eperm_key *k = bcct_entry_key(&e, i);
		const unsigned long long *count = bcct_entry_value(&e, i);
		const char *name = sys_syscall_name(k->nr);
		char comm[sizeof(k->comm) + 1], nr[24];

		snprintf(comm, sizeof(comm), "%.*s", (int)sizeof(k->comm), k->comm);
		snprintf(nr, sizeof(nr), "%d", k->nr);   /* unknown: its number */
		out_begin();
		out_str("comm", "%-16s", comm);
		out_str("syscall", "%-20s", name ? name : nr);
		out_str("err", "%-7s", sys_errno_name(k->err));
		out_uint("count", "%8llu", *count);
		out_end();
	}
	bcct_entries_free(&e);
	return bcct_map_clear(skel->maps.counts);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing EACCESS and EPERM syscall errors. Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(eperm,
	.category = "security",
	.summary = "Count syscalls failing with EPERM or EACCES by process and syscall",
	.description =
	"Every syscall returning -EPERM or -EACCES (raw_syscalls:sys_exit), counted by process\n"
	"name, syscall and error, as the book's eperm.bt; printed at Ctrl-C or every interval.",
	.examples =
	"    eperm              # count EPERM/EACCES failures until Ctrl-C\n"
	"    eperm 5            # print 5 second summaries\n"
	"    eperm -p 181       # only PID 181\n",
	.opts = opts,
	.skeleton = &eperm_bpf__skeleton,
	.run = run);

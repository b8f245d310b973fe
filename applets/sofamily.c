/* sofamily (BPF Performance Tools, ch. 10): address families of connect() and accept() calls
 * counted by process, as the book's sofamily.bt (its @connect/@accept maps as one table, the
 * call in a column). The shared object bpf/sockcall.bpf.c, on the syscall tracepoints. */
#include "core/table.h"
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/family/sock.h"
#include "core/output.h"
#include "core/run.h"
#include "sockcall.h"
#include "sockcall.skel.h"

BCCT_SKELETON(sockcall_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void row(const void *key, unsigned long long count)
{
	const struct sockcall_family_key *k = key;

	out_begin();
	out_str("call", "%-7s", k->call == SOCKCALL_CONNECT ? "connect" : "accept");
	out_str("comm", "%-16s", k->comm);
	out_int("family", "%3lld", k->family);
	out_str("family_name", "%-9s", sock_family_name(k->family));
	out_uint("count", "%8llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct sockcall_bpf *s = p;

	out_interval_begin();
	out_header("%-7s %-16s %3s %-9s %8s", "CALL", "COMM", "FAM", "FAMILY", "COUNT");
	return table_print_counts(s->maps.families, row, true);
}

static int configure(void *p)
{
	struct sockcall_bpf *s = p;

	s->rodata->mode = SOCKCALL_SOFAMILY;
	sock_programs_only(p, BCCT_NAMES("sys_enter_raw", "sys_exit_raw", "sys_enter__connect", "sys_enter__accept",
					 "sys_exit__accept"));
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing socket connect/accepts. Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(sofamily,
	.category = "network",
	.summary = "Count address families of connect() and accept() calls by process (book)",
	.description =
	"Counts connect(2) calls by the family of the address asked for, and successful\n"
	"accept(2)/accept4(2) calls by the family of the peer's address, per process name: the\n"
	"syscall tracepoints, the caller's sockaddr, as the book's sofamily.bt.",
	.examples =
	"    sofamily          # count until Ctrl-C\n"
	"    sofamily 1 5      # print every second, 5 times\n"
	"    sofamily -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockcall_bpf__skeleton,
	.optional_probes = SOCK_CALL_OPTIONAL,
	.run = run);

/* bindsnoop: bind() calls of IPv4 and IPv6 sockets, as BCC's bindsnoop: the process, protocol,
 * address and port bound, the socket options that change bind's behaviour, the interface, and
 * with -E failed binds and their result; --count counts binds per address and port. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/features.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "bindsnoop.skel.h"
#include "bindsnoop.h"

BCCT_SKELETON(bindsnoop_bpf);

static struct {
	bool wide, errors, print_uid, count;
	struct bcct_list ports;
	unsigned short port_ids[NET_MAX_PORTS];
	unsigned long long first_ns;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('t', "include timestamp on output"),
	OPT_FLAG_('w', "wide", &o.wide, "wide column output (fits IPv6 addresses)"),
	STD_PID('p'),
	OPT_LIST_('P', "port", &o.ports, "PORT", "comma-separated list of ports to trace."),
	OPT_FLAG_('E', "errors", &o.errors, "include errors in the output."),
	OPT_FLAG_('U', "print-uid", &o.print_uid, "include UID on output"),
	STD_UID('u'),
	OPT_FLAG_(0, "count", &o.count, "count binds per src ip and port"),
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_text("Tracing binds ... Hit Ctrl-C to end\n");
	if (o.count)
		return;
	if (env.timestamp)
		out_text("%-9s ", "TIME(s)");
	if (o.print_uid)
		out_text("%6s ", "UID");
	if (o.errors)
		out_text(o.wide ? "%-25s " : "%3s ", "RC");
	if (o.wide)
		out_header("%10s %-12.12s %-4s %-39s %-5s %5s %2s", "PID", "COMM", "PROT", "ADDR", "PORT",
			   "OPTS", "IF");
	else
		out_header("%8s %-12.12s %-4s %-15s %-5s %5s %2s", "PID", "COMM", "PROT", "ADDR", "PORT",
			   "OPTS", "IF");
}

/* BCC's OPTS: one letter per option set, "." otherwise. */
static void options_str(unsigned int bits, char out[6])
{
	static const char letters[] = "FTNRr";

	for (int i = 0; i < 5; i++)
		out[i] = bits & (1u << i) ? letters[i] : '.';
	out[5] = 0;
}

/* The wide RC column: Python's os.strerror of the (negative) result, as BCC prints it. */
static const char *result_str(int ret, char *buf, size_t len)
{
	if (!o.wide)
		snprintf(buf, len, "%d", ret);
	else if (!ret)
		snprintf(buf, len, "Success");
	else
		snprintf(buf, len, "Unknown error %d", ret);
	return buf;
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct bindsnoop_event *e = data;
	char addr[NET_ADDR_STRLEN], opt[6], rc[48];

	if (size < sizeof(*e))
		return 0;
	if (!o.first_ns)
		o.first_ns = e->ts_ns;
	net_addr_str(e->family, e->addr, addr, sizeof(addr));
	options_str(e->opts, opt);
	out_event_time(e->ts_ns);
	out_begin();
	if (env.timestamp)
		out_float("time_s", "%-9.6f", (e->ts_ns / 1000 - o.first_ns / 1000) / 1e6);
	if (o.print_uid)
		out_int("uid", "%6lld", e->uid);
	if (o.errors) {
		if (env.json)
			json_int("ret", e->ret);
		else
			out_str("ret", o.wide ? "%-25s" : "%3s", result_str(e->ret, rc, sizeof(rc)));
	}
	out_int("pid", o.wide ? "%10lld" : "%8lld", e->pid);
	out_str("comm", "%-12.12s", e->comm);
	out_str("prot", o.wide ? "%-4s" : "%-4.4s", net_ipproto_name(e->protocol));
	out_str("addr", o.wide ? "%-39s" : "%-15.15s", addr);
	out_int("port", "%5lld", e->port);
	out_str("opts", "%-5s", opt);
	out_int("if", "%2lld", e->bound_dev_if);
	out_end();
	return 0;
}

/* --count: IPv4 rows, then IPv6 rows, each by count, largest first (BCC's two tables). */
static int count_cmp(const void *a, const void *b)
{
	const struct bindsnoop_key *ka = a, *kb = b;
	unsigned long long va = *(const unsigned long long *)((const char *)a + ((sizeof(*ka) + 7) & ~7ul));
	unsigned long long vb = *(const unsigned long long *)((const char *)b + ((sizeof(*kb) + 7) & ~7ul));

	if (ka->family != kb->family)
		return ka->family == AF_INET ? -1 : 1;
	return va < vb ? 1 : va > vb ? -1 : 0;
}

static int print_counts(void *ctx, bool final)
{
	struct bindsnoop_bpf *s = ctx;
	struct bcct_entries ent;

	if (!final)
		return 0;
	if (bcct_map_collect(s->maps.counts, &ent) < 0)
		return BCCT_EXIT_FAIL;
	bcct_entries_sort(&ent, count_cmp);
	out_text("\n%-32s %20s     %-10s\n", "LADDR", "LPORT", "BINDS");
	out_list("rows");
	for (size_t i = 0; i < ent.n; i++) {
		const struct bindsnoop_key *k = bcct_entry_key(&ent, i);
		char addr[NET_ADDR_STRLEN];

		out_begin();
		out_str("laddr", "%-32s", net_addr_str(k->family, k->addr, addr, sizeof(addr)));
		out_int("lport", "%20lld", k->port);
		out_uint("binds", "    %-10llu", *(const unsigned long long *)bcct_entry_value(&ent, i));
		out_end();
	}
	bcct_entries_free(&ent);
	return 0;
}

static int configure(void *p)
{
	struct bindsnoop_bpf *s = p;

	s->rodata->report_errors = o.errors;
	s->rodata->count_only = o.count;
	memcpy((void *)s->rodata->target_ports, o.port_ids, sizeof(o.port_ids));
	return o.count ? 0 : bcct_map_resize(p, "counts", 1);
}

static int run(void)
{
	if (net_parse_ports(&o.ports, o.port_ids, "-P/--port"))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = o.count ? NULL : on_event,
		.on_interval = o.count ? print_counts : NULL,
	});
}

/* The syscall fallback is a part of the kprobes' probes, used when they cannot be. */
static bool bind_falls_back(void)
{
	const char *why;

	return !bcct_target_usable(KIND_KPROBE, "inet_bind", &why);
}

BCCT_APPLET(bindsnoop,
	.category = "network",
	.summary = "Trace TCP binds",
	.description =
	"Binds are seen at inet_bind's and inet6_bind's returns (kprobes), as BCC. Without kprobes\n"
	"the fallback takes the return of the bind() syscall and reads the socket behind its fd,\n"
	"in the same task; binds made without the syscall (in-kernel users, io_uring) are not\n"
	"seen. -v shows the method.",
	.examples =
	"    bindsnoop           # trace all TCP bind()s\n"
	"    bindsnoop -t        # include timestamps\n"
	"    bindsnoop -w        # wider columns (fit IPv6)\n"
	"    bindsnoop -p 181    # only trace PID 181\n"
	"    bindsnoop -P 80     # only trace port 80\n"
	"    bindsnoop -P 80,81  # only trace port 80 and 81\n"
	"    bindsnoop -U        # include UID\n"
	"    bindsnoop -u 1000   # only trace UID 1000\n"
	"    bindsnoop -E        # report bind errors\n"
	"    bindsnoop --count   # count bind per src ip\n"
	"    bindsnoop --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    bindsnoop --mntnsmap  mappath  # only trace mount namespaces in the map\n"
	"\n"
	"it is reporting socket options set before the bins call\n"
	"impacting system call behavior:\n"
	" SOL_IP     IP_FREEBIND              F....\n"
	" SOL_IP     IP_TRANSPARENT           .T...\n"
	" SOL_IP     IP_BIND_ADDRESS_NO_PORT  ..N..\n"
	" SOL_SOCKET SO_REUSEADDR             ...R.\n"
	" SOL_SOCKET SO_REUSEPORT             ....r\n"
	"\n"
	" SO_BINDTODEVICE interface is reported as \"IF\" index\n",
	.opts = opts,
	.skeleton = &bindsnoop_bpf__skeleton,
	.optional_probes = BCCT_NAMES("inet6_bind", "inet6_bind_ret"),
	.fallback = "the bind() syscall's return, the socket read from its fd: in-kernel and "
		    "io_uring binds not seen",
	.falls_back = bind_falls_back,
	.run = run);

/* tcpconnect: trace active TCP connects (connect()), or count them per flow (-c). */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpconnect.skel.h"
#include "tcpconnect.h"

BCCT_SKELETON(tcpconnect_bpf);

static struct {
	bool lport, print_uid, count, dns;
	struct net_filter net;
	unsigned long long first_ns;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('t', "include timestamp on output"),
	STD_PID('p'),
	OPT_LIST_('P', "port", &o.net.dports, "PORT", "comma-separated list of destination ports to trace."),
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	OPT_FLAG_('L', "lport", &o.lport, "include LPORT on output"),
	OPT_FLAG_('U', "print-uid", &o.print_uid, "include UID on output"),
	STD_UID('u'),
	OPT_FLAG_('c', "count", &o.count, "count connects per src ip and dest ip/port"),
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	OPT_FLAG_('d', "dns", &o.dns, "include likely DNS query associated with each connect (not supported: refused)"),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* BCC: "%-9s" TIME(s), "%-6s" UID, then "%-7s %-12s %-2s %-16s %-6s %-16s %-6s" (LPORT with -L). */
static void header(void *ctx)
{
	if (env.json || o.count)
		return;
	if (env.timestamp)
		printf("%-9s", "TIME(s)");
	if (o.print_uid)
		printf("%-6s", "UID");
	if (o.lport)
		printf("%-7s %-12s %-2s %-16s %-6s %-16s %-6s\n", "PID", "COMM", "IP", "SADDR", "LPORT",
		       "DADDR", "DPORT");
	else
		printf("%-7s %-12s %-2s %-16s %-16s %-6s\n", "PID", "COMM", "IP", "SADDR", "DADDR",
		       "DPORT");
}

/* BCC's line ends with "%s" for -d's query, "" without it: a trailing space. */
static int event(void *ctx, const void *data, size_t size)
{
	const struct tcpconnect_event *e = data;
	char saddr[NET_ADDR_STRLEN], daddr[NET_ADDR_STRLEN];

	if (!o.first_ns)
		o.first_ns = e->ts_ns;
	net_tuple_addrs(&e->tuple, saddr, daddr);
	out_event_time(e->ts_ns);
	out_begin();
	if (env.timestamp)
		net_out_time_s((e->ts_ns - o.first_ns) / 1000 / 1e6);
	/* BCC's UID column runs into the next too: "%-6d" with no space after. */
	if (o.print_uid && !env.json)
		printf("%-6u", e->uid);
	else if (o.print_uid)
		out_uint("uid", "", e->uid);
	out_uint("pid", "%-7llu", e->pid);
	out_str("comm", "%-12.12s", e->comm);
	out_int("ip", "%-2lld", net_ip_version(e->tuple.family));
	out_str("saddr", "%-16s", saddr);
	if (o.lport)
		out_uint("lport", "%-6llu", e->tuple.sport);
	out_str("daddr", "%-16s", daddr);
	out_uint("dport", "%-6llu ", e->tuple.dport);
	out_end();
	return 0;
}

/* -c at the end: BCC's "\n%-25s %-25s %-20s %-10s" table, most connects first (BCC prints IPv4
 * flows, then IPv6, each by count; here one table by count). */
static int print_counts(void *p, bool final)
{
	struct tcpconnect_bpf *skel = p;
	struct bcct_entries all;
	char saddr[NET_ADDR_STRLEN], daddr[NET_ADDR_STRLEN];

	if (bcct_map_collect(skel->maps.counts, &all) < 0)
		return -1;
	bcct_entries_sort_by_count(&all, true);
	out_text("\n%-25s %-25s %-20s %-10s\n", "LADDR", "RADDR", "RPORT", "CONNECTS");
	out_list("rows");
	for (size_t i = 0; i < all.n; i++) {
		const struct net_flow *f = bcct_entry_key(&all, i);
		const unsigned long long *n = bcct_entry_value(&all, i);

		net_addr_str(f->family, f->saddr, saddr, sizeof(saddr));
		net_addr_str(f->family, f->daddr, daddr, sizeof(daddr));
		out_begin();
		out_str("laddr", "%-25s", saddr);
		out_str("raddr", "%-25s", daddr);
		out_uint("rport", "%-20llu", f->dport);
		out_uint("connects", "%-10llu", *n);
		out_end();
	}
	bcct_entries_free(&all);
	return 0;
}

static int configure(void *p)
{
	struct tcpconnect_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	skel->rodata->count_only = o.count;
	memcpy(skel->rodata->target_dports, o.net.dport_ids, sizeof(o.net.dport_ids));
	return 0;
}

static int run(void)
{
	if (net_filter_parse(&o.net, NULL, "-P/--port"))
		return BCCT_EXIT_USAGE;
	if (o.dns && o.count) {
		bcct_usage_err("you may not specify -d/--dns with -c/--count");
		return BCCT_EXIT_USAGE;
	}
	if (o.dns) {
		bcct_err("-d/--dns is not supported: BCC takes DNS answers from kprobes on udp_recvmsg "
			 "and parses them in Python; no tracepoint carries the packet's payload");
		return BCCT_EXIT_FAIL;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing connect ... Hit Ctrl-C to end",
		.on_start = header,
		.on_event = o.count ? NULL : event,
		.on_interval = o.count ? print_counts : NULL,
	});
}

BCCT_APPLET(tcpconnect,
	.category = "network",
	.summary = "Trace TCP connects",
	.description =
	"Connects are seen at tcp_v4_connect/tcp_v6_connect (fentry/fexit, else kprobes), as BCC.\n"
	"Without either, the fallback follows the connect() syscall: the socket's CLOSE -> SYN_SENT\n"
	"change (sock:inet_sock_set_state) in the caller, reported at the syscall's return; a\n"
	"connect that does not go through connect() (TCP Fast Open's sendto, io_uring) is not\n"
	"seen. -d (DNS names) is not supported. -v shows the method.",
	.examples =
	"    tcpconnect           # trace all TCP connect()s\n"
	"    tcpconnect -t        # include timestamps\n"
	"    tcpconnect -d        # include DNS queries associated with connects\n"
	"    tcpconnect -p 181    # only trace PID 181\n"
	"    tcpconnect -P 80     # only trace port 80\n"
	"    tcpconnect -P 80,81  # only trace port 80 and 81\n"
	"    tcpconnect -4        # only trace IPv4 family\n"
	"    tcpconnect -6        # only trace IPv6 family\n"
	"    tcpconnect -U        # include UID\n"
	"    tcpconnect -u 1000   # only trace UID 1000\n"
	"    tcpconnect -c        # count connects per src ip and dest ip/port\n"
	"    tcpconnect -L        # include LPORT while printing outputs\n"
	"    tcpconnect --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    tcpconnect --mntnsmap mappath   # only trace mount namespaces in the map\n",
	.opts = opts,
	.skeleton = &tcpconnect_bpf__skeleton,
	.optional_probes = BCCT_NAMES("connect_v6_entry", "connect_v6_return"),
	.fallback = "the connect() syscall and the socket's SYN_SENT change: connects made without "
		    "connect() (TCP Fast Open, io_uring) not seen",
	.run = run);

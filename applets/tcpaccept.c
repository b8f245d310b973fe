/* tcpaccept: trace TCP connections returned by accept(). */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/features.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "tcpaccept.skel.h"
#include "tcpaccept.h"

BCCT_SKELETON(tcpaccept_bpf);

static struct {
	bool time;
	struct net_filter net;
	unsigned long long first_ns;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('T', "time", &o.time, "include time column on output (HH:MM:SS)"),
	STD_TIMESTAMP('t', "include timestamp on output"),
	STD_PID('p'),
	OPT_LIST_('P', "port", &o.net.lports, "PORT", "comma-separated list of local ports to trace"),
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* BCC: "%-9s" TIME, "%-9s" TIME(s), then "%-7s %-12s %-2s %-16s %-5s %-16s %-5s". */
static void header(void *ctx)
{
	if (env.json)
		return;
	if (o.time)
		printf("%-9s", "TIME");
	if (env.timestamp)
		printf("%-9s", "TIME(s)");
	printf("%-7s %-12s %-2s %-16s %-5s %-16s %-5s\n", "PID", "COMM", "IP", "RADDR", "RPORT",
	       "LADDR", "LPORT");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct tcpaccept_event *e = data;
	char laddr[NET_ADDR_STRLEN], raddr[NET_ADDR_STRLEN], now[16];
	double ts;

	if (!o.first_ns)
		o.first_ns = e->ts_ns;
	ts = (e->ts_ns - o.first_ns) / 1000 / 1e6;
	net_tuple_addrs(&e->tuple, laddr, raddr);
	out_event_time(e->ts_ns);
	out_begin();
	/* BCC's TIME column runs into the next: "%-9s" with no space after. */
	if (o.time && !env.json)
		printf("%-9s", sys_time_of_day(now, sizeof(now)));
	if (env.timestamp)
		net_out_time_s(ts);
	out_uint("pid", "%-7llu", e->pid);
	out_str("comm", "%-12.12s", e->comm);
	out_int("ip", "%-2lld", net_ip_version(e->tuple.family));
	out_str("raddr", "%-16s", raddr);
	out_uint("rport", "%-5llu", e->tuple.dport);
	out_str("laddr", "%-16s", laddr);
	out_uint("lport", "%-5llu", e->tuple.sport);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct tcpaccept_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	memcpy(skel->rodata->target_lports, o.net.lport_ids, sizeof(o.net.lport_ids));
	return 0;
}

static int run(void)
{
	if (net_filter_parse(&o.net, "-P/--port", NULL))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

/* The syscall fallback is a part of probe inet_csk_accept, used when the kretprobe cannot be. */
static bool accept_falls_back(void)
{
	const char *why;

	return !bcct_target_usable(KIND_KRETPROBE, "inet_csk_accept", &why);
}

BCCT_APPLET(tcpaccept,
	.category = "network",
	.summary = "Trace TCP accepts",
	.description =
	"Accepted connections are seen at inet_csk_accept's return (kretprobe), as BCC. Without\n"
	"kprobes the fallback takes the return of the accept() and accept4() syscalls and reads\n"
	"the socket behind the new fd, in the same task; accepts made without these syscalls\n"
	"(in-kernel users such as NFS, io_uring) are not seen. -v shows the method.",
	.examples =
	"    tcpaccept           # trace all TCP accept()s\n"
	"    tcpaccept -t        # include timestamps\n"
	"    tcpaccept -P 80,81  # only trace port 80 and 81\n"
	"    tcpaccept -p 181    # only trace PID 181\n"
	"    tcpaccept --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    tcpaccept --mntnsmap mappath   # only trace mount namespaces in the map\n"
	"    tcpaccept -4        # trace IPv4 family\n"
	"    tcpaccept -6        # trace IPv6 family\n",
	.opts = opts,
	.skeleton = &tcpaccept_bpf__skeleton,
	.optional_probes = BCCT_NAMES("inet_csk_accept__accept"),
	.fallback = "the accept()/accept4() syscalls' returns, the socket read from the new fd: "
		    "in-kernel and io_uring accepts not seen",
	.falls_back = accept_falls_back,
	.run = run);

/* tcpconnlat: trace TCP connects and show connection latency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpconnlat.skel.h"
#include "tcpconnlat.h"

BCCT_SKELETON(tcpconnlat_bpf);

static struct {
	bool lport;
	struct net_filter net;
	const char *duration_ms;
	unsigned long long min_us;
	unsigned long long first_ns;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('t', "include timestamp on output"),
	STD_PID('p'),
	OPT_FLAG_('L', "lport", &o.lport, "include LPORT on output"),
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	POS_STR_("duration_ms", &o.duration_ms, "minimum duration to trace (ms)"),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* BCC: "%-9s" TIME(s), then "%-7s %-12s %-2s %-16s %-16s %-5s %s" (-L: "%-6s" LPORT after SADDR). */
static void header(void *ctx)
{
	if (env.json)
		return;
	if (env.timestamp)
		printf("%-9s", "TIME(s)");
	if (o.lport)
		printf("%-7s %-12s %-2s %-16s %-6s %-16s %-5s %s\n", "PID", "COMM", "IP", "SADDR",
		       "LPORT", "DADDR", "DPORT", "LAT(ms)");
	else
		printf("%-7s %-12s %-2s %-16s %-16s %-5s %s\n", "PID", "COMM", "IP", "SADDR", "DADDR",
		       "DPORT", "LAT(ms)");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct tcpconnlat_event *e = data;
	char saddr[NET_ADDR_STRLEN], daddr[NET_ADDR_STRLEN];
	double ts;

	if (!o.first_ns)
		o.first_ns = e->ts_ns;
	ts = (e->ts_ns - o.first_ns) / 1000 / 1e6;
	net_tuple_addrs(&e->tuple, saddr, daddr);
	out_event_time(e->ts_ns);
	out_begin();
	if (env.timestamp)
		net_out_time_s(ts);
	out_uint("pid", "%-7llu", e->pid);
	out_str("comm", "%-12.12s", e->comm);
	out_int("ip", "%-2lld", net_ip_version(e->tuple.family));
	out_str("saddr", "%-16s", saddr);
	if (o.lport)
		out_uint("lport", "%-6llu", e->tuple.sport);
	out_str("daddr", "%-16s", daddr);
	out_uint("dport", "%-5llu", e->tuple.dport);
	if (env.json)                   /* exact: microseconds */
		out_uint("lat_us", "", e->delta_us);
	else
		out_float("lat_ms", "%.2f", e->delta_us / 1000.0);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct tcpconnlat_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	skel->rodata->min_us = o.min_us;
	return 0;
}

static int run(void)
{
	if (net_filter_parse(&o.net, NULL, NULL))
		return BCCT_EXIT_USAGE;
	if (o.duration_ms) {
		char *end;
		double ms = strtod(o.duration_ms, &end);

		/* BCC takes fractions, rounded down to a microsecond. */
		if (end == o.duration_ms || *end || !(ms >= 0) || ms > 1e12) {
			bcct_usage_err("argument duration_ms: must be a positive number of ms, not '%s'",
				       o.duration_ms);
			return BCCT_EXIT_USAGE;
		}
		o.min_us = ms * 1000;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(tcpconnlat,
	.category = "network",
	.summary = "Trace TCP connects and show connection latency",
	.description =
	"The latency is from the socket's CLOSE -> SYN_SENT change (in tcp_v4_connect or\n"
	"tcp_v6_connect, in the connecting task) to SYN_SENT -> ESTABLISHED, both from the\n"
	"sock:inet_sock_set_state tracepoint; BCC times from the tcp_v*_connect kprobe to\n"
	"tcp_rcv_state_process: the same handshake. Connects that never establish are not shown.",
	.examples =
	"    tcpconnlat           # trace all TCP connect()s\n"
	"    tcpconnlat 1         # trace connection latency slower than 1 ms\n"
	"    tcpconnlat 0.1       # trace connection latency slower than 100 us\n"
	"    tcpconnlat -t        # include timestamps\n"
	"    tcpconnlat -p 181    # only trace PID 181\n"
	"    tcpconnlat -L        # include LPORT while printing outputs\n"
	"    tcpconnlat -4        # trace IPv4 family only\n"
	"    tcpconnlat -6        # trace IPv6 family only\n",
	.opts = opts,
	.skeleton = &tcpconnlat_bpf__skeleton,
	.run = run);

/* tcplife: trace the lifespan of TCP sessions and summarize. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "tcplife.skel.h"
#include "tcplife.h"

BCCT_SKELETON(tcplife_bpf);

static struct {
	bool time, timestamp, wide, csv;
	struct net_filter net;
	unsigned long long first_ts;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('T', "time", &o.time, "include time column on output (HH:MM:SS)"),
	OPT_FLAG_('t', "timestamp", &o.timestamp, "include timestamp on output (seconds)"),
	OPT_FLAG_('w', "wide", &o.wide, "wide column output (fits IPv6 addresses)"),
	OPT_FLAG_('s', "csv", &o.csv, "comma separated values output"),
	STD_PID('p'),
	OPT_LIST_('L', "localport", &o.net.lports, "LOCALPORT", "comma-separated list of local ports to trace."),
	OPT_LIST_('D', "remoteport", &o.net.dports, "REMOTEPORT", "comma-separated list of remote ports to trace."),
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* BCC's columns: "%-5s %-10.10s %s%-15s %-5s %-15s %-5s %5s %5s %s", wide and CSV variants. */
static void header(void *ctx)
{
	const char *ip = o.wide || o.csv ? "IP" : "";

	if (env.json)
		return;
	if (o.time)
		printf(o.csv ? "%s," : "%-8s ", "TIME");
	if (o.timestamp)
		printf(o.csv ? "%s," : "%-9s ", "TIME(s)");
	if (o.csv)
		printf("%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", "PID", "COMM", ip, "LADDR", "LPORT", "RADDR",
		       "RPORT", "TX_KB", "RX_KB", "MS");
	else if (o.wide)
		printf("%-5s %-16.16s %-2s %-26s %-5s %-26s %-5s %6s %6s %s\n", "PID", "COMM", ip, "LADDR",
		       "LPORT", "RADDR", "RPORT", "TX_KB", "RX_KB", "MS");
	else
		printf("%-5s %-10.10s %-15s %-5s %-15s %-5s %5s %5s %s\n", "PID", "COMM", "LADDR", "LPORT",
		       "RADDR", "RPORT", "TX_KB", "RX_KB", "MS");
}

/* CSV is a text layout of its own: one printf, fields as BCC's "%d,%s,%s,%s,%s,%s,%d,%d,%d,%.2f". */
static void print_csv(const struct tcplife_event *e, const char *saddr, const char *daddr, double ts)
{
	char now[16];

	if (o.time)
		printf("%s,", sys_time_of_day(now, sizeof(now)));
	if (o.timestamp)
		printf("%.6f,", ts);
	printf("%u,%s,%d,%s,%u,%s,%u,%llu,%llu,%.2f\n", e->pid, e->comm,
	       net_ip_version(e->tuple.family), saddr, e->tuple.sport, daddr, e->tuple.dport,
	       e->tx_b / 1024, e->rx_b / 1024, e->span_us / 1000.0);
	fflush(stdout);
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct tcplife_event *e = data;
	char saddr[NET_ADDR_STRLEN], daddr[NET_ADDR_STRLEN];
	double ts;

	if (!o.first_ts)
		o.first_ts = e->ts_us;
	ts = (e->ts_us - o.first_ts) / 1e6;
	net_tuple_addrs(&e->tuple, saddr, daddr);
	if (o.csv && !env.json) {
		print_csv(e, saddr, daddr, ts);
		return 0;
	}
	out_event_time(e->ts_us * 1000);
	out_begin();
	if (o.time)
		out_time("time");
	if (o.timestamp)
		out_float("time_s", "%-9.6f", ts);
	out_uint("pid", "%-5llu", e->pid);
	out_str("comm", o.wide ? "%-16.16s" : "%-10.10s", e->comm);
	if (o.wide || env.json)
		out_int("ip", "%-2lld", net_ip_version(e->tuple.family));
	out_str("laddr", o.wide ? "%-26s" : "%-15s", saddr);
	out_uint("lport", "%-5llu", e->tuple.sport);
	out_str("raddr", o.wide ? "%-26s" : "%-15s", daddr);
	out_uint("rport", "%-5llu", e->tuple.dport);
	if (env.json) {                 /* exact: bytes and microseconds, not KiB and ms */
		out_uint("tx_bytes", "", e->tx_b);
		out_uint("rx_bytes", "", e->rx_b);
		out_uint("span_us", "", e->span_us);
	} else {
		out_uint("tx_kb", o.wide ? "%6llu" : "%5llu", e->tx_b / 1024);
		out_uint("rx_kb", o.wide ? "%6llu" : "%5llu", e->rx_b / 1024);
		out_float("ms", "%.2f", e->span_us / 1000.0);
	}
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct tcplife_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	memcpy(skel->rodata->target_lports, o.net.lport_ids, sizeof(o.net.lport_ids));
	memcpy(skel->rodata->target_dports, o.net.dport_ids, sizeof(o.net.dport_ids));
	return 0;
}

static int run(void)
{
	if (net_filter_parse(&o.net, "-L/--localport", "-D/--remoteport"))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(tcplife,
	.category = "network",
	.summary = "Trace the lifespan of TCP sessions and summarize",
	.examples =
	"    tcplife           # trace all TCP connect()s\n"
	"    tcplife -T        # include time column (HH:MM:SS)\n"
	"    tcplife -w        # wider columns (fit IPv6)\n"
	"    tcplife -stT      # csv output, with times & timestamps\n"
	"    tcplife -p 181    # only trace PID 181\n"
	"    tcplife -L 80     # only trace local port 80\n"
	"    tcplife -L 80,81  # only trace local ports 80 and 81\n"
	"    tcplife -D 80     # only trace remote port 80\n"
	"    tcplife -4        # only trace IPv4 family\n"
	"    tcplife -6        # only trace IPv6 family\n",
	.opts = opts,
	.skeleton = &tcplife_bpf__skeleton,
	.run = run);

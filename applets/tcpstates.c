/* tcpstates: trace TCP session state changes and durations. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "tcpstates.skel.h"
#include "tcpstates.h"

BCCT_SKELETON(tcpstates_bpf);

static struct {
	bool time, timestamp, wide, csv, journal;
	struct net_filter net;
	unsigned long long first_ns;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('T', "time", &o.time, "include time column on output (HH:MM:SS)"),
	OPT_FLAG_('t', "timestamp", &o.timestamp, "include timestamp on output (seconds)"),
	OPT_FLAG_('w', "wide", &o.wide, "wide column output (fits IPv6 addresses)"),
	OPT_FLAG_('s', "csv", &o.csv, "comma separated values output"),
	OPT_LIST_('L', "localport", &o.net.lports, "LOCALPORT", "comma-separated list of local ports to trace."),
	OPT_LIST_('D', "remoteport", &o.net.dports, "REMOTEPORT", "comma-separated list of remote ports to trace."),
	OPT_FLAG_('Y', "journal", &o.journal, "log session state changes to the systemd journal"),
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	STD_FILTERS,
	STD_EBPF,
	OPT_END_,
};

/* BCC's header_string: "%-16s %-5s %-10.10s %s%-15s %-5s %-15s %-5s %-11s -> %-11s %s", -w's
 * "%-16s %-5s %-16.16s %-2s %-26s %-5s %-26s %-5s %-11s -> %-11s %s", -s's comma-separated. */
static void header(void *ctx)
{
	if (env.json)
		return;
	if (o.time)
		printf(o.csv ? "%s," : "%-8s ", "TIME");
	if (o.timestamp)
		printf(o.csv ? "%s," : "%-9s ", "TIME(s)");
	if (o.csv)
		printf("%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", "SKADDR", "C-PID", "C-COMM", "IP", "LADDR",
		       "LPORT", "RADDR", "RPORT", "OLDSTATE", "NEWSTATE", "MS");
	else if (o.wide)
		printf("%-16s %-5s %-16.16s %-2s %-26s %-5s %-26s %-5s %-11s -> %-11s %s\n", "SKADDR",
		       "C-PID", "C-COMM", "IP", "LADDR", "LPORT", "RADDR", "RPORT", "OLDSTATE",
		       "NEWSTATE", "MS");
	else
		printf("%-16s %-5s %-10.10s %-15s %-5s %-15s %-5s %-11s -> %-11s %s\n", "SKADDR",
		       "C-PID", "C-COMM", "LADDR", "LPORT", "RADDR", "RPORT", "OLDSTATE", "NEWSTATE",
		       "MS");
}

/* BCC's journal entry (journal_fields): its OBJECT_* fields and a MESSAGE
 * "COMM SADDR SPORT → DADDR DPORT OLD → NEW"; OBJECT_COMM only when not root, as there
 * journald adds it itself. */
static void log_journal(const struct tcpstates_event *e, const char *saddr, const char *daddr,
			const char *old, const char *new)
{
	const char *ip = e->tuple.family == AF_INET6 ? "IPV6" : "IPV4";
	char pid[16], sport[8], dport[8], span[24], msg[256], src[40], dst[40];
	const char *f[32];
	int n = 0;

	snprintf(pid, sizeof(pid), "%u", e->pid);
	snprintf(sport, sizeof(sport), "%u", e->tuple.sport);
	snprintf(dport, sizeof(dport), "%u", e->tuple.dport);
	snprintf(span, sizeof(span), "%llu", e->span_us);
	snprintf(src, sizeof(src), "OBJECT_%s_SOURCE_ADDRESS", ip);
	snprintf(dst, sizeof(dst), "OBJECT_%s_DESTINATION_ADDRESS", ip);
	snprintf(msg, sizeof(msg), "%s %s %s \u2192 %s %s %s \u2192 %s", e->comm, saddr, sport, daddr,
		 dport, old, new);
	f[n++] = "SYSLOG_IDENTIFIER"; f[n++] = "tcpstates";
	f[n++] = "PRIORITY"; f[n++] = "5";
	f[n++] = "OBJECT_PID"; f[n++] = pid;
	if (geteuid()) {
		f[n++] = "OBJECT_COMM"; f[n++] = e->comm;
	}
	f[n++] = src; f[n++] = saddr;
	f[n++] = "OBJECT_TCP_SOURCE_PORT"; f[n++] = sport;
	f[n++] = dst; f[n++] = daddr;
	f[n++] = "OBJECT_TCP_DESTINATION_PORT"; f[n++] = dport;
	f[n++] = "OBJECT_TCP_OLD_STATE"; f[n++] = old;
	f[n++] = "OBJECT_TCP_NEW_STATE"; f[n++] = new;
	f[n++] = "OBJECT_TCP_SPAN_TIME"; f[n++] = span;
	f[n++] = "MESSAGE"; f[n++] = msg;
	sys_journal_send(f, n);
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct tcpstates_event *e = data;
	char saddr[NET_ADDR_STRLEN], daddr[NET_ADDR_STRLEN], ob[16], nb[16], now[16];
	const char *old = net_tcp_state_str(e->oldstate, ob, sizeof(ob));
	const char *new = net_tcp_state_str(e->newstate, nb, sizeof(nb));
	int ip = net_ip_version(e->tuple.family);
	double ts;

	if (!o.first_ns)
		o.first_ns = e->ts_ns;
	ts = (e->ts_ns - o.first_ns) / 1000 / 1e6;      /* BCC's microsecond resolution */
	net_tuple_addrs(&e->tuple, saddr, daddr);
	if (o.journal)
		log_journal(e, saddr, daddr, old, new);
	if (o.csv && !env.json) {
		if (o.time)
			printf("%s,", sys_time_of_day(now, sizeof(now)));
		if (o.timestamp)
			printf("%.6f,", ts);
		printf("%llx,%u,%s,%d,%s,%u,%s,%u,%s,%s,%.3f\n", e->skaddr, e->pid, e->comm, ip, saddr,
		       e->tuple.sport, daddr, e->tuple.dport, old, new, e->span_us / 1000.0);
		return 0;
	}
	out_event_time(e->ts_ns);
	out_begin();
	if (o.time)
		out_time("time");
	if (o.timestamp)
		out_float("time_s", "%-9.6f", ts);
	out_uint("skaddr", "%-16llx", e->skaddr);
	out_uint("pid", "%-5llu", e->pid);
	out_str("comm", o.wide ? "%-16.16s" : "%-10.10s", e->comm);
	if (o.wide || env.json)
		out_int("ip", "%-2lld", ip);
	out_str("laddr", o.wide ? "%-26s" : "%-15s", saddr);
	out_uint("lport", "%-5llu", e->tuple.sport);
	out_str("raddr", o.wide ? "%-26s" : "%-15s", daddr);
	out_uint("rport", "%-5llu", e->tuple.dport);
	out_str("oldstate", "%-11s", old);
	out_str("newstate", "-> %-11s", new);
	if (env.json)                   /* exact: microseconds, not milliseconds */
		out_uint("span_us", "", e->span_us);
	else
		out_float("ms", "%.3f", e->span_us / 1000.0);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct tcpstates_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	memcpy(skel->rodata->target_lports, o.net.lport_ids, sizeof(o.net.lport_ids));
	memcpy(skel->rodata->target_dports, o.net.dport_ids, sizeof(o.net.dport_ids));
	return 0;
}

static int run(void)
{
	int err;

	if (net_filter_parse(&o.net, "-L/--localport", "-D/--remoteport"))
		return BCCT_EXIT_USAGE;
	if (o.journal && (err = sys_journal_open())) {
		bcct_err("-Y: cannot reach the systemd journal at /run/systemd/journal/socket: %s",
			 strerror(-err));
		return BCCT_EXIT_FAIL;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(tcpstates,
	.category = "network",
	.summary = "Trace TCP session state changes and durations",
	.examples =
	"    tcpstates           # trace all TCP state changes\n"
	"    tcpstates -t        # include timestamp column\n"
	"    tcpstates -T        # include time column (HH:MM:SS)\n"
	"    tcpstates -w        # wider columns (fit IPv6)\n"
	"    tcpstates -stT      # csv output, with times & timestamps\n"
	"    tcpstates -Y        # log events to the systemd journal\n"
	"    tcpstates -L 80     # only trace local port 80\n"
	"    tcpstates -L 80,81  # only trace local ports 80 and 81\n"
	"    tcpstates -D 80     # only trace remote port 80\n"
	"    tcpstates -4        # trace IPv4 family only\n"
	"    tcpstates -6        # trace IPv6 family only\n",
	.opts = opts,
	.skeleton = &tcpstates_bpf__skeleton,
	.run = run);

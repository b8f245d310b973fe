/* tcptracer: TCP connections as they are established (connect, accept) and closed, as BCC's
 * tcptracer: type, process, both ends, and with -v the network namespace. */
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/output.h"
#include "core/run.h"
#include "tcptracer.skel.h"
#include "tcptracer.h"

BCCT_SKELETON(tcptracer_bpf);

static struct {
	long netns;
	struct net_filter net;
	unsigned long long first_ns;
} o;

static const struct bcct_opt opts[] = {
	STD_TIMESTAMP('t', "include timestamp on output"),
	STD_PID('p'),
	OPT_INT_('N', "netns", &o.netns, "NETNS", "trace this Network Namespace only", 1, UINT32_MAX),
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	/* BCC's -v; bcct's -v (attach methods on stderr) comes with it. */
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "include Network Namespace in the output (and show attach methods)"),
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	STD_EBPF,
	OPT_END_,
};

static const char *const type_letter[] = { "U", "C", "A", "X" };
static const char *const type_word[] = { "unknown", "connect", "accept", "close" };

static void header(void *ctx)
{
	out_text("Tracing TCP established connections. Ctrl-C to end.\n");
	if (env.json)
		return;
	if (env.verbose) {
		if (env.timestamp)
			printf("%-14s", "TIME(ns)");
		printf("%-12s %-6s %-16s %-2s %-16s %-16s %-6s %-7s", "TYPE", "PID", "COMM", "IP",
		       "SADDR", "DADDR", "SPORT", "DPORT");
		if (!o.netns)
			printf("%-8s", "NETNS");
		printf("\n");
	} else {
		if (env.timestamp)
			printf("%-9s", "TIME(s)");
		printf("%-2s %-6s %-16s %-2s %-16s %-16s %-6s %-6s\n", "T", "PID", "COMM", "IP",
		       "SADDR", "DADDR", "SPORT", "DPORT");
	}
}

/* BCC brackets IPv6 addresses. */
static void address(const char *key, int family, const void *addr)
{
	char a[NET_ADDR_STRLEN], b[NET_ADDR_STRLEN + 2];

	net_addr_str(family, addr, a, sizeof(a));
	snprintf(b, sizeof(b), family == AF_INET6 && !env.json ? "[%s]" : "%s", a);
	out_str(key, "%-16s", b);
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct tcptracer_event *e = data;
	unsigned int type = e->type < 4 ? e->type : 0;

	if (!o.first_ns)
		o.first_ns = e->ts_ns;
	out_event_time(e->ts_ns);
	out_begin();
	/* BCC's time runs into the type column: "%-14d" ns with -v, else "%-9.3f" s (JSON:
	 * time_s, as every applet). */
	if (env.timestamp && env.verbose && !env.json)
		printf("%-14llu", e->ts_ns - o.first_ns);
	else if (env.timestamp)
		net_out_time_s((e->ts_ns - o.first_ns) / 1e9);
	if (env.json)
		out_str("type", "", type_word[type]);
	else
		out_str("type", env.verbose ? "%-12s" : "%-2s", env.verbose ? type_word[type] : type_letter[type]);
	out_uint("pid", "%-6llu", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_int("ip", "%-2lld", net_ip_version(e->tuple.family));
	address("saddr", e->tuple.family, e->tuple.saddr);
	address("daddr", e->tuple.family, e->tuple.daddr);
	out_uint("sport", "%-6llu", e->tuple.sport);
	out_uint("dport", "%-6llu", e->tuple.dport);
	if (env.verbose && !o.netns)
		out_uint("netns", "%-8llu", e->tuple.netns);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct tcptracer_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	skel->rodata->target_netns = o.netns;
	return 0;
}

static int run(void)
{
	if (net_filter_parse(&o.net, NULL, NULL))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(tcptracer,
	.category = "network",
	.summary = "Trace TCP connections",
	.description =
	"A connect is shown when its socket becomes ESTABLISHED (tcp_set_state, else the\n"
	"sock:inet_sock_set_state tracepoint) under the process that called connect(); an accept\n"
	"when inet_csk_accept returns (kretprobe; else the return of accept()/accept4()); a close\n"
	"at tcp_close (fentry/kprobe; else the state change out of ESTABLISHED or CLOSE_WAIT made\n"
	"in close(), close_range(), dup2/dup3() or an exit). -v shows the network namespace and the\n"
	"attach methods.",
	.examples =
	"    tcptracer          # trace all TCP connect, accept and close events\n"
	"    tcptracer -t       # include timestamps\n"
	"    tcptracer -p 181   # only trace PID 181\n"
	"    tcptracer -N 4026531969  # only trace network namespace 4026531969\n"
	"    tcptracer -v       # include the network namespace\n"
	"    tcptracer -4       # trace IPv4 family only\n"
	"    tcptracer -6       # trace IPv6 family only\n"
	"    tcptracer --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    tcptracer --mntnsmap mappath   # only trace mount namespaces in the map\n",
	.opts = opts,
	.skeleton = &tcptracer_bpf__skeleton,
	.optional_probes = BCCT_NAMES("accept__accept"),
	.fallback = "state changes at sock:inet_sock_set_state, accepts at accept()/accept4()'s "
		    "return; a socket shut down for writing before close() gives no close event",
	.run = run);

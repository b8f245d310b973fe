/* tcpsynbl: TCP SYN backlog of listening sockets as histograms, one per maximum backlog, as
 * BCC's tcpsynbl (printed at Ctrl-C), with libbpf-tools' interval, count and -T. */
#include <stdio.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpsynbl.skel.h"

BCCT_SKELETON(tcpsynbl_bpf);

static struct {
	struct net_filter net;
} o;

static const struct bcct_opt opts[] = {
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	STD_TIMESTAMP('T', "include timestamp on output"),
	STD_INTERVAL,
	STD_COUNT,
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct tcpsynbl_bpf *skel = p;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "backlog",
		.section = "backlog_max",
		.clear = true,
	});
}

static int configure(void *p)
{
	struct tcpsynbl_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	return 0;
}

static int run(void)
{
	if (net_filter_parse(&o.net, NULL, NULL))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing SYN backlog size. Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(tcpsynbl,
	.category = "network",
	.summary = "Show TCP SYN backlog.",
	.description =
	"When a handshake completes on a listening socket, its count of connections waiting for\n"
	"accept(), in a histogram per maximum backlog (listen()'s, capped by somaxconn):\n"
	"tcp_v4_syn_recv_sock/tcp_v6_syn_recv_sock entry (kprobes), as BCC; else the\n"
	"new socket's LISTEN -> SYN_RECV change (sock:inet_sock_set_state) in the same function,\n"
	"whose copy of the listener carries the same counts.",
	.examples =
	"    tcpsynbl          # trace syn backlog\n"
	"    tcpsynbl 1 10     # print 1 second summaries, 10 times\n"
	"    tcpsynbl -T 1     # 1s summaries with timestamps\n"
	"    tcpsynbl -4       # trace IPv4 family only\n"
	"    tcpsynbl -6       # trace IPv6 family only\n",
	.opts = opts,
	.skeleton = &tcpsynbl_bpf__skeleton,
	.optional_probes = BCCT_NAMES("syn_recv_v6"),
	.fallback = "the new socket's LISTEN -> SYN_RECV change (sock:inet_sock_set_state), read "
		    "from its copy of the listener: the same counts",
	.run = run);

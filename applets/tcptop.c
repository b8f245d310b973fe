/* tcptop: TCP bytes sent and received per connection and process, top-style (core/top.h), as
 * BCC's tcptop: an IPv4 table and an IPv6 table, each with its header only when it has rows,
 * largest total first. */
#include <stdio.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/top.h"
#include "tcptop.skel.h"
#include "tcptop.h"

BCCT_SKELETON(tcptop_bpf);

static struct {
	bool nosummary;
	struct net_filter net;
} o;

static const struct bcct_opt opts[] = {
	TOP_NOCLEAR,
	OPT_FLAG_('S', "nosummary", &o.nosummary, "skip system summary line"),
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_CGROUPMAP,
	STD_MNTNSMAP,
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	STD_FILTERS,
	OPT_END_,
};

/* bcct_map_collect's layout: the key (a multiple of 8 bytes), then the value. */
struct row {
	struct tcptop_key key;
	struct tcptop_val val;
};

static int by_total(const void *a, const void *b)
{
	const struct tcptop_val *x = &((const struct row *)a)->val, *y = &((const struct row *)b)->val;

	return top_larger_first(x->sent + x->received, y->sent + y->received);
}

/* One session; endpoint_fmt is the family's address column ("%-21s", "%-32s"). */
static void print_row(const struct row *r, const char *endpoint_fmt)
{
	char comm[sizeof(r->key.comm) + 1];

	snprintf(comm, sizeof(comm), "%s", r->key.comm);
	out_begin();
	out_int("pid", "%-7lld", r->key.pid);
	out_str("comm", "%-12.12s", comm);
	net_out_endpoint("laddr", "lport", endpoint_fmt, r->key.flow.family, r->key.flow.saddr, r->key.flow.lport);
	net_out_endpoint("raddr", "rport", endpoint_fmt, r->key.flow.family, r->key.flow.daddr, r->key.flow.dport);
	if (env.json) {                 /* exact: bytes, not KiB; the table the text splits on */
		out_int("ip", "", net_ip_version(r->key.flow.family));
		out_uint("rx_bytes", "", r->val.received);
		out_uint("tx_bytes", "", r->val.sent);
	} else {
		out_uint("rx_kb", "%6llu", r->val.received / 1024);
		out_uint("tx_kb", "%6llu", r->val.sent / 1024);
	}
	out_end();
}

/* BCC prints the IPv6 header after a blank line, its columns wider ("more than 80 chars"). */
static void print_family(const struct bcct_entries *rows, int family)
{
	bool v6 = family == AF_INET6, first = true;

	for (size_t i = 0; i < rows->n; i++) {
		const struct row *r = bcct_entry_key(rows, i);

		if (r->key.flow.family != family)
			continue;
		if (first)
			out_header(v6 ? "\n%-7s %-12s %-32s %-32s %6s %6s" : "%-7s %-12s %-21s %-21s %6s %6s",
				   "PID", "COMM", v6 ? "LADDR6" : "LADDR", v6 ? "RADDR6" : "RADDR",
				   "RX_KB", "TX_KB");
		first = false;
		print_row(r, v6 ? "%-32s" : "%-21s");
	}
}

static struct bcct_top display = {
	.sorts = (const struct bcct_top_sort[]){ { "all", by_total }, { NULL } },
	.title = top_title_loadavg,
};

static int show(void *p, bool final)
{
	struct tcptop_bpf *skel = p;
	struct bcct_entries rows;

	(void)final;
	if (bcct_map_collect(skel->maps.counts, &rows) < 0)
		return -1;
	bcct_entries_sort(&rows, by_total);
	top_begin(&display, skel);
	out_list("rows");               /* JSON: present, if empty, in every interval */
	print_family(&rows, AF_INET);
	print_family(&rows, AF_INET6);
	fflush(stdout);
	bcct_entries_free(&rows);
	return bcct_map_clear(skel->maps.counts) < 0 ? -1 : 0;
}

static int configure(void *p)
{
	struct tcptop_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	return 0;
}

static int run(void)
{
	long interval = env.interval ? env.interval : 1;
	char banner[96];

	if (net_filter_parse(&o.net, NULL, NULL))
		return BCCT_EXIT_USAGE;
	if (o.nosummary)
		display.title = NULL;
	snprintf(banner, sizeof(banner), "Tracing... Output every %ld secs. Hit Ctrl-C to end",
		 interval);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = banner,
		.on_interval = show,
		.interval = interval,
	});
}

BCCT_APPLET(tcptop,
	.category = "network",
	.summary = "Summarize TCP send/recv throughput by host",
	.description =
	"Bytes are what tcp_sendmsg() returned and what tcp_cleanup_rbuf() was told the reader\n"
	"copied (fentry/fexit, else kprobes), as BCC. Without either, sock:sock_send_length and\n"
	"sock:sock_recv_length (5.19+): what each TCP socket's sendmsg/recvmsg returned to its\n"
	"caller; TCP read inside the kernel (NFS, kTLS, sockmap) and sent through tcp_sendpage\n"
	"(before 6.5: sendfile, splice) is not seen. -v shows the method.",
	.examples =
	"    tcptop           # trace TCP send/recv by host\n"
	"    tcptop -C        # don't clear the screen\n"
	"    tcptop -p 181    # only trace PID 181\n"
	"    tcptop --cgroupmap mappath  # only trace cgroups in this BPF map\n"
	"    tcptop --mntnsmap mappath   # only trace mount namespaces in the map\n"
	"    tcptop -4        # trace IPv4 family only\n"
	"    tcptop -6        # trace IPv6 family only\n",
	.opts = opts,
	.skeleton = &tcptop_bpf__skeleton,
	.optional_probes = BCCT_NAMES("send_entry"),
	.fallback = "sock:sock_send_length/sock_recv_length: bytes each TCP socket call returned; "
		    "in-kernel readers (NFS, kTLS) and tcp_sendpage (sendfile before 6.5) not seen",
	.run = run);

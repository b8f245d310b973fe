/* ipecn (BPF Performance Tools, ch. 10): inbound IP packets marked ECN "congestion experienced",
 * with their source, as the book's ipecn.bt; IPv6 as well as IPv4. */
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/family/net.h"
#include "core/features.h"
#include "core/output.h"
#include "core/run.h"
#include "ipecn.h"
#include "ipecn.skel.h"

BCCT_SKELETON(ipecn_bpf);

static const struct bcct_opt opts[] = {
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct ipecn_event *e = data;
	char addr[NET_ADDR_STRLEN];

	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts_ns);
	out_begin();
	out_time("time");
	out_str("saddr", "ECN CE from: %s", net_addr_str(e->family, e->saddr, addr, sizeof(addr)));
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing inbound IP ECN Congestion Encountered. Hit Ctrl-C to end.",
		.on_event = on_event,
	});
}

SOCK_KPROBE_FALLBACK(ecn_falls_back, "ip_rcv")

BCCT_APPLET(ipecn,
	.category = "network",
	.summary = "Inbound IP packets marked ECN congestion experienced (book)",
	.description =
	"Each inbound IPv4 or IPv6 packet whose ECN field is CE (congestion experienced), with\n"
	"its source address: kprobes on ip_rcv and ipv6_rcv (the book's ipecn.bt traces IPv4\n"
	"only). Without kprobes, the net:netif_receive_skb tracepoint just before them, which\n"
	"also sees packets IP then discards. -v shows the method.",
	.examples =
	"    ipecn          # trace ECN CE marks until Ctrl-C\n",
	.opts = opts,
	.skeleton = &ipecn_bpf__skeleton,
	.optional_probes = BCCT_NAMES("ipv6_rcv"),
	.fallback = "net:netif_receive_skb, just before ip_rcv: packets IP discards too",
	.falls_back = ecn_falls_back,
	.run = run);

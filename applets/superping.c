/* superping (BPF Performance Tools, ch. 10): ICMP and ICMPv6 echo round trips as the network
 * stack sees them, without the pinging program's own scheduling, as the book's superping.bt. */
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/features.h"
#include "core/output.h"
#include "core/run.h"
#include "superping.h"
#include "superping.skel.h"

BCCT_SKELETON(superping_bpf);

static const struct bcct_opt opts[] = {
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct superping_event *e = data;

	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts_ns);
	out_begin();
	out_int("ip", "IPv%lld ping,", e->k.family == 10 ? 6 : 4);
	out_int("id", "ID %lld", e->k.id);
	out_int("seq", "seq %lld:", e->k.seq);
	out_int("lat_us", "%lld us", e->lat_ns / 1000);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing ICMP ping latency. Hit Ctrl-C to end.",
		.on_event = on_event,
	});
}

SOCK_KPROBE_FALLBACK(ping_falls_back, "ip_send_skb")

BCCT_APPLET(superping,
	.category = "network",
	.summary = "ICMP echo round trips timed inside the network stack (book)",
	.description =
	"Each ICMP or ICMPv6 echo reply matched to its request (identifier and sequence), with\n"
	"the time from the request leaving IP to the reply reaching ICMP: kprobes on ip_send_skb,\n"
	"ip6_send_skb, icmp_rcv and icmpv6_rcv, as the book's superping.bt. Without kprobes, the\n"
	"net:net_dev_queue and net:netif_receive_skb tracepoints: from the request handed to the\n"
	"device to the reply taken from it. -v shows the method.",
	.examples =
	"    superping          # time pings until Ctrl-C (run ping elsewhere)\n",
	.opts = opts,
	.skeleton = &superping_bpf__skeleton,
	.optional_probes = BCCT_NAMES("send6", "recv6"),
	.fallback = "net:net_dev_queue to net:netif_receive_skb: device to device, not IP to ICMP",
	.falls_back = ping_falls_back,
	.run = run);

/* tcpreset (BPF Performance Tools, ch. 11): TCP resets sent in answer to segments, with the
 * local and remote ends of the segment answered: port scans show as resets from many local
 * ports. As the book's tcpreset.bt; IPv6 too. */
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/family/net.h"
#include "core/features.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpreset.h"
#include "tcpreset.skel.h"

BCCT_SKELETON(tcpreset_bpf);

static const struct bcct_opt opts[] = {
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static void header(void *ctx)
{
	out_text("Tracing TCP resets. Hit Ctrl-C to end.\n");
	out_header("%-8s %-14s %-6s %-14s %-6s", "TIME", "LADDR", "LPORT", "RADDR", "RPORT");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct tcpreset_event *e = data;
	char laddr[NET_ADDR_STRLEN], raddr[NET_ADDR_STRLEN];

	if (size < sizeof(*e))
		return 0;
	net_tuple_addrs(&e->t, laddr, raddr);
	out_event_time(e->ts_ns);
	out_begin();
	out_time("time");
	out_str("laddr", "%-14s", laddr);
	out_int("lport", "%-6lld", e->t.sport);
	out_str("raddr", "%-14s", raddr);
	out_int("rport", "%-6lld", e->t.dport);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.on_start = header,
		.on_event = on_event,
	});
}

SOCK_KPROBE_FALLBACK(reset_falls_back, "tcp_v4_send_reset")

BCCT_APPLET(tcpreset,
	.category = "network",
	.summary = "Trace TCP resets sent in answer to segments: port scan detection (book)",
	.description =
	"Each reset the kernel sends in answer to a segment (a SYN to a closed port, a segment for\n"
	"no connection), with the segment's local and remote addresses and ports: kprobes on\n"
	"tcp_v4_send_reset and tcp_v6_send_reset, the segment's headers, as the book's\n"
	"tcpreset.bt. Without kprobes, the tcp:tcp_send_reset tracepoint with the same segment;\n"
	"before Linux 6.10 it fires only for resets from a socket, not for closed ports. Resets\n"
	"with no segment to answer (aborted connections) are not shown. -v shows the method.",
	.examples =
	"    tcpreset          # trace TCP resets sent until Ctrl-C\n"
	"    tcpreset --json   # one JSON object per reset\n",
	.opts = opts,
	.skeleton = &tcpreset_bpf__skeleton,
	.optional_probes = BCCT_NAMES("send_reset6"),
	.fallback = "tcp:tcp_send_reset: before Linux 6.10 only resets sent from a socket",
	.falls_back = reset_falls_back,
	.run = run);

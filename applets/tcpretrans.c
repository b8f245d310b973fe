/* tcpretrans: trace TCP retransmits (and tail loss probes with -l), or count them per flow. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/features.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpretrans.skel.h"
#include "tcpretrans.h"

BCCT_SKELETON(tcpretrans_bpf);

static struct {
	bool sequence, lossprobe, count;
	struct net_filter net;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('s', "sequence", &o.sequence, "display TCP sequence numbers"),
	OPT_FLAG_('l', "lossprobe", &o.lossprobe, "include tail loss probe attempts (needs fentry or kprobes)"),
	OPT_FLAG_('c', "count", &o.count, "count occurred retransmits per flow"),
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

/* BCC: "%-8s %-7s %-2s %-20s %1s> %-20s", then " %-4s" STATE or -s's " %-12s %-10s" STATE SEQ. */
static void header(void *ctx)
{
	if (env.json || o.count)
		return;
	printf("%-8s %-7s %-2s %-20s %1s> %-20s", "TIME", "PID", "IP", "LADDR:LPORT", "T",
	       "RADDR:RPORT");
	if (o.sequence)
		printf(" %-12s %-10s\n", "STATE", "SEQ");
	else
		printf(" %-4s\n", "STATE");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct tcpretrans_event *e = data;
	char sb[16];

	out_event_time(e->ts_ns);
	out_begin();
	out_time("time");
	out_uint("pid", "%-7llu", e->pid);
	out_int("ip", "%-2lld", net_ip_version(e->tuple.family));
	net_out_endpoint("laddr", "lport", "%-20s", e->tuple.family, e->tuple.saddr, e->tuple.sport);
	out_str("type", "%1s>", e->type == TCPRETRANS_TLP ? "L" : "R");
	net_out_endpoint("raddr", "rport", "%-20s", e->tuple.family, e->tuple.daddr, e->tuple.dport);
	out_str("state", o.sequence ? "%-12s" : "%s", net_tcp_state_str(e->state, sb, sizeof(sb)));
	if (o.sequence)
		out_uint("seq", "%llu", e->seq);
	out_end();
	return 0;
}

/* -c at the end: BCC's "\n%-25s %-25s %-10s" header, then "%-20s <-> %-20s %10d" rows with
 * endpoints as "[addr]#port", fewest retransmits first. */
static int print_counts(void *p, bool final)
{
	struct tcpretrans_bpf *skel = p;
	struct bcct_entries all;

	if (bcct_map_collect(skel->maps.counts, &all) < 0)
		return -1;
	bcct_entries_sort_by_count(&all, false);
	out_text("\n%-25s %-25s %-10s\n", "LADDR:LPORT", "RADDR:RPORT", "RETRANSMITS");
	out_list("rows");
	for (size_t i = 0; i < all.n; i++) {
		const struct net_flow *f = bcct_entry_key(&all, i);
		const unsigned long long *n = bcct_entry_value(&all, i);
		char a[NET_ADDR_STRLEN], l[NET_ENDPOINT_STRLEN + 2], r[NET_ENDPOINT_STRLEN + 2];

		out_begin();
		if (env.json) {
			net_out_endpoint("laddr", "lport", "%-20s", f->family, f->saddr, f->lport);
			net_out_endpoint("raddr", "rport", "%-20s", f->family, f->daddr, f->dport);
		} else {
			snprintf(l, sizeof(l), "[%s]#%u", net_addr_str(f->family, f->saddr, a, sizeof(a)), f->lport);
			snprintf(r, sizeof(r), "[%s]#%u", net_addr_str(f->family, f->daddr, a, sizeof(a)), f->dport);
			out_str("laddr", "%-20s <->", l);
			out_str("raddr", "%-20s", r);
		}
		out_uint("retransmits", "%10llu", *n);
		out_end();
	}
	bcct_entries_free(&all);
	return 0;
}

static int configure(void *p)
{
	struct tcpretrans_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	skel->rodata->count_only = o.count;
	bcct_probe_enable(skel, "tlp", o.lossprobe);
	return 0;
}

static int run(void)
{
	const char *why_fentry, *why_kprobe;

	if (net_filter_parse(&o.net, NULL, NULL))
		return BCCT_EXIT_USAGE;
	/* The tail loss probe has no tracepoint: -l without a way to hook the function is refused
	 * rather than run without it (the probe is optional so that the rest runs everywhere). */
	if (o.lossprobe && !bcct_target_usable(KIND_FENTRY, "tcp_send_loss_probe", &why_fentry) &&
	    !bcct_target_usable(KIND_KPROBE, "tcp_send_loss_probe", &why_kprobe)) {
		bcct_err("-l needs fentry or a kprobe on tcp_send_loss_probe (no tracepoint): fentry: %s; kprobe: %s",
			 why_fentry, why_kprobe);
		return BCCT_EXIT_FAIL;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing retransmits ... Hit Ctrl-C to end",
		.on_start = header,
		.on_event = o.count ? NULL : event,
		.on_interval = o.count ? print_counts : NULL,
	});
}

BCCT_APPLET(tcpretrans,
	.category = "network",
	.summary = "Trace TCP retransmits",
	.description =
	"Retransmits come from the tcp:tcp_retransmit_skb tracepoint, as BCC on kernels that have\n"
	"it. Tail loss probes (-l) are seen at tcp_send_loss_probe, which has no tracepoint: -l\n"
	"needs fentry or kprobes and is refused without them.",
	.examples =
	"    tcpretrans           # trace TCP retransmits\n"
	"    tcpretrans -l        # include TLP attempts\n"
	"    tcpretrans -4        # trace IPv4 family only\n"
	"    tcpretrans -6        # trace IPv6 family only\n",
	.opts = opts,
	.skeleton = &tcpretrans_bpf__skeleton,
	.optional_probes = BCCT_NAMES("tlp"),
	.run = run);

/* tcpdrop: trace TCP packets dropped by the kernel, with the kernel stack of each drop. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/btf.h"
#include "core/features.h"
#include "core/family/net.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "tcpdrop.skel.h"
#include "tcpdrop.h"

BCCT_SKELETON(tcpdrop_bpf);

static struct {
	struct net_filter net;
	struct bcct_stacks *stacks;
} o;

static const char *const rcv_probes[] = {
	"rcv_established", "rcv_established_end", "rcv_state", "rcv_state_end", NULL,
};
/* Probes configure turns on for some kernels only: those above, and skb_free (configure
 * refuses the run when that one is needed and cannot be had). */
static const char *const optional_probes[] = {
	"rcv_established", "rcv_established_end", "rcv_state", "rcv_state_end", "skb_free", NULL,
};

static const struct bcct_opt opts[] = {
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

/* BCC: "%-8s %-7s %-2s %-20s > %-20s %s (%s)". */
static void start(void *p)
{
	struct tcpdrop_bpf *skel = p;

	o.stacks = bcct_stacks_new(skel->maps.stacks,
				   &(struct bcct_stack_fmt){ .kernel = true, .offsets = true });
	if (!env.json)
		printf("%-8s %-7s %-2s %-20s > %-20s %s (%s)\n", "TIME", "PID", "IP", "SADDR:SPORT",
		       "DADDR:DPORT", "STATE", "FLAGS");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct tcpdrop_event *e = data;
	const struct net_tuple *t = &e->tuple;
	char sb[16], fb[40];
	const char *const *names;
	int n = o.stacks ? bcct_stack_frames(o.stacks, e->kernel_stack_id, false, 0, NULL, &names) : 0;

	out_event_time(e->ts_ns);
	out_begin();
	out_time("time");
	out_uint("pid", "%-7llu", e->pid);
	out_int("ip", "%-2lld", net_ip_version(t->family));
	net_out_endpoint("saddr", "sport", "%-20s >", t->family, t->saddr, t->sport);
	net_out_endpoint("daddr", "dport", "%-20s", t->family, t->daddr, t->dport);
	out_str("state", "%s", net_tcp_state_str(e->state, sb, sizeof(sb)));
	out_str("flags", "(%s)", net_tcp_flags_str(e->tcpflags, fb, sizeof(fb)));
	if (env.json)
		json_str_array("kernel_stack", names, n < 0 ? 0 : n);
	out_end();
	if (!env.json) {
		for (int i = 0; i < n; i++)
			printf("\t%s\n", names[i]);
		printf("\n");
	}
	return 0;
}

static int configure(void *p)
{
	struct tcpdrop_bpf *skel = p;
	/* skb:kfree_skb's arguments: skb, location (before 5.17); + reason; + rx_sk (6.11+). */
	int tp_args = bcct_btf_tp_args("kfree_skb");
	const char *why;
	bool tcp_drop = bcct_target_usable(KIND_KPROBE, "tcp_drop", &why);
	/* Neither tcp_drop nor reasons (Debian's 5.10: tcp_drop inlined): its drops are recognised
	 * by sk_drops at __kfree_skb (bpf/tcpdrop.bpf.c); the tracepoint cannot tell them. */
	bool sk_drops = !tcp_drop && tp_args >= 0 && tp_args < 3;

	if (sk_drops && !bcct_target_usable(KIND_FENTRY, "__kfree_skb", &why)) {
		bcct_err("this kernel has no tcp_drop to kprobe, no drop reasons in skb:kfree_skb (5.17+), "
			 "and no fentry on __kfree_skb: %s", why);
		return BCCT_EXIT_FAIL;
	}
	skel->rodata->target_family = o.net.family;
	skel->rodata->count_sk_drops = sk_drops;
	bcct_probe_enable(skel, "drop", !sk_drops);
	bcct_probe_enable(skel, "skb_free", sk_drops);
	/* The receiving socket is noted where the packet's socket is known no other way: no
	 * tcp_drop, and no rx_sk in the tracepoint. */
	for (int i = 0; rcv_probes[i]; i++)
		bcct_probe_enable(skel, rcv_probes[i], !tcp_drop && tp_args >= 0 && tp_args < 4);
	return 0;
}

static int run(void)
{
	int err;

	if (net_filter_parse(&o.net, NULL, NULL))
		return BCCT_EXIT_USAGE;
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = start,
		.on_event = event,
	});
	bcct_stacks_free(o.stacks);
	return err;
}

BCCT_APPLET(tcpdrop,
	.category = "network",
	.summary = "Trace TCP drops by the kernel",
	.description =
	"Drops are seen at tcp_drop() where the kernel has it (kprobe, before 5.19), else at\n"
	"skb:kfree_skb with a drop reason, for packets that belong to a socket, as BCC, or that TCP\n"
	"was receiving for a socket (the tracepoint's rx_sk from 6.11; before, the socket of\n"
	"tcp_rcv_established or tcp_rcv_state_process, fentry). Where the kernel has neither\n"
	"tcp_drop nor drop reasons (5.10 with tcp_drop inlined), a drop is the __kfree_skb of a\n"
	"packet TCP is receiving, or holds for the socket, after the socket's sk_drops grew, as\n"
	"tcp_drop does (fentry). Each drop prints the packet's addresses and TCP flags, the\n"
	"socket's state and the kernel stack.",
	.examples =
	"    tcpdrop           # trace kernel TCP drops\n"
	"    tcpdrop -4        # trace IPv4 family only\n"
	"    tcpdrop -6        # trace IPv6 family only\n",
	.opts = opts,
	.optional_probes = optional_probes,
	.skeleton = &tcpdrop_bpf__skeleton,
	.run = run);

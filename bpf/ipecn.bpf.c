/* ipecn: inbound IP packets whose ECN field says "congestion experienced" (both ECN bits set),
 * as the book's ipecn.bt: a kprobe on ip_rcv (IPv4) and, here too, ipv6_rcv. Without kprobes,
 * the net:netif_receive_skb tracepoint, which sees every packet taken from a device, both
 * families, just before ip_rcv/ipv6_rcv would (packets for other protocols skipped). */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "skbhdr.bpf.h"
#include "ipecn.h"

#define INET_ECN_CE 3

static __always_inline int received(void *ctx, const struct sk_buff *skb)
{
	struct ipecn_event e = {};
	struct skb_ip ip = {};

	if (!skb || !skb_ip_headers(skb, false, &ip) || (ip.tos & 3) != INET_ECN_CE)
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.family = ip.family;
	__builtin_memcpy(e.saddr, ip.saddr, sizeof(e.saddr));
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

SEC("kprobe/ip_rcv")
int BPF_KPROBE(ip_rcv_kprobe, struct sk_buff *skb) { return received(ctx, skb); }
SEC("kprobe/ipv6_rcv")
int BPF_KPROBE(ipv6_rcv_kprobe, struct sk_buff *skb) { return received(ctx, skb); }
SEC("raw_tp/netif_receive_skb")
int BPF_PROG(ip_rcv_raw, struct sk_buff *skb) { return received(ctx, skb); }
SEC("tp_btf/netif_receive_skb")
int BPF_PROG(ip_rcv_btf, struct sk_buff *skb) { return received(ctx, skb); }

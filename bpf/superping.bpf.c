/* superping: ICMP and ICMPv6 echo round trips timed inside the network stack, from the request
 * leaving to its reply arriving, as the book's superping.bt: kprobes on ip_send_skb and
 * ip6_send_skb (requests) and icmp_rcv and icmpv6_rcv (replies). Without kprobes, the
 * net:net_dev_queue and net:netif_receive_skb tracepoints: the request handed to the device and
 * the reply taken from it, so the time includes the IP layer's own work on both sides and
 * replies dropped before ICMP are timed too. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "skbhdr.bpf.h"
#include "superping.h"

#define IPPROTO_ICMP 1
#define IPPROTO_ICMPV6 58

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, struct superping_key);
	__type(value, u64);
} sent SEC(".maps");

/* The echo request or reply skb carries, into k; its ICMP type, or -1 when it is none. */
static __always_inline int echo(const struct sk_buff *skb, struct superping_key *k, bool *reply)
{
	struct skb_ip ip = {};
	unsigned char h[8];

	if (!skb || !skb_ip_headers(skb, false, &ip) ||
	    ip.protocol != (ip.family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6) ||
	    bpf_probe_read_kernel(h, sizeof(h), ip.l4))
		return -1;
	if (ip.family == AF_INET ? h[0] != 8 && h[0] != 0 : h[0] != 128 && h[0] != 129)
		return -1;
	*reply = ip.family == AF_INET ? h[0] == 0 : h[0] == 129;
	k->family = ip.family;
	k->id = h[4] << 8 | h[5];
	k->seq = h[6] << 8 | h[7];
	return 0;
}

static __always_inline int request_out(const struct sk_buff *skb)
{
	struct superping_key k = {};
	bool reply;
	u64 now;

	if (echo(skb, &k, &reply) || reply)
		return 0;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&sent, &k, &now, BPF_ANY);
	return 0;
}

static __always_inline int reply_in(void *ctx, const struct sk_buff *skb)
{
	struct superping_event e = {};
	bool reply;
	u64 *start;

	if (echo(skb, &e.k, &reply) || !reply)
		return 0;
	start = bpf_map_lookup_elem(&sent, &e.k);
	if (!start)
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.lat_ns = e.ts_ns - *start;
	bpf_map_delete_elem(&sent, &e.k);
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

SEC("kprobe/ip_send_skb")
int BPF_KPROBE(send_kprobe, struct net *net, struct sk_buff *skb) { return request_out(skb); }
SEC("kprobe/ip6_send_skb")
int BPF_KPROBE(send6_kprobe, struct sk_buff *skb) { return request_out(skb); }
SEC("raw_tp/net_dev_queue")
int BPF_PROG(send_raw, struct sk_buff *skb) { return request_out(skb); }
SEC("tp_btf/net_dev_queue")
int BPF_PROG(send_btf, struct sk_buff *skb) { return request_out(skb); }

SEC("kprobe/icmp_rcv")
int BPF_KPROBE(recv_kprobe, struct sk_buff *skb) { return reply_in(ctx, skb); }
SEC("kprobe/icmpv6_rcv")
int BPF_KPROBE(recv6_kprobe, struct sk_buff *skb) { return reply_in(ctx, skb); }
SEC("raw_tp/netif_receive_skb")
int BPF_PROG(recv_raw, struct sk_buff *skb) { return reply_in(ctx, skb); }
SEC("tp_btf/netif_receive_skb")
int BPF_PROG(recv_btf, struct sk_buff *skb) { return reply_in(ctx, skb); }

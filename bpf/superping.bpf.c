/* superping: ICMP and ICMPv6 echo round trips timed inside the network stack, from the request
 * leaving to its reply arriving, as the book's superping.bt: kprobes on ip6_send_skb and (not
 * the book's ip_send_skb, see send_kprobe) ip_push_pending_frames for requests, icmp_rcv and
 * icmpv6_rcv for replies. Without kprobes, the
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

/* The ICMP or ICMPv6 header at l4, into k: false when it is no echo request or reply. */
static __always_inline bool echo_at(const unsigned char *l4, u16 family, struct superping_key *k,
				    bool *reply)
{
	unsigned char h[8];

	if (bpf_probe_read_kernel(h, sizeof(h), l4))
		return false;
	if (family == AF_INET ? h[0] != 8 && h[0] != 0 : h[0] != 128 && h[0] != 129)
		return false;
	*reply = family == AF_INET ? h[0] == 0 : h[0] == 129;
	k->family = family;
	k->id = h[4] << 8 | h[5];
	k->seq = h[6] << 8 | h[7];
	return true;
}

/* The echo request or reply skb carries, into k: -1 when it is none. */
static __always_inline int echo(const struct sk_buff *skb, struct superping_key *k, bool *reply)
{
	struct skb_ip ip = {};

	if (!skb || !skb_ip_headers(skb, false, &ip) ||
	    ip.protocol != (ip.family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6) ||
	    !echo_at(ip.l4, ip.family, k, reply))
		return -1;
	return 0;
}

static __always_inline int request_sent(const struct superping_key *k)
{
	u64 now = bpf_ktime_get_ns();

	bpf_map_update_elem(&sent, k, &now, BPF_ANY);
	return 0;
}

static __always_inline int request_out(const struct sk_buff *skb)
{
	struct superping_key k = {};
	bool reply;

	if (echo(skb, &k, &reply) || reply)
		return 0;
	return request_sent(&k);
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

/* IPv4: ip_push_pending_frames(sk, fl4), where raw and ping sockets (and ICMP's own replies)
 * hand their queued message to IP, not the book's ip_send_skb: that one is called from the
 * same file and inlined there on Debian's 6.1 (the kprobe attached and never fired). The
 * message is still the socket's write queue, its IP header not yet written: the ICMP header
 * is at the first skb's transport header, the protocol is the flow's. */
SEC("kprobe/ip_push_pending_frames")
int BPF_KPROBE(send_kprobe, struct sock *sk, struct flowi4 *fl4)
{
	const void *queue = (const void *)sk + bpf_core_field_offset(sk->sk_write_queue);
	struct superping_key k = {};
	struct sk_buff *skb;
	bool reply;

	if (BPF_CORE_READ(fl4, __fl_common.flowic_proto) != IPPROTO_ICMP)
		return 0;
	skb = BPF_CORE_READ(sk, sk_write_queue.next);
	if (!skb || (const void *)skb == queue ||
	    !echo_at(BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, transport_header), AF_INET, &k,
		     &reply) || reply)
		return 0;
	return request_sent(&k);
}
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

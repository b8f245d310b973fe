/* tcpdrop: TCP packets the kernel dropped, with the packet's addresses and flags, the socket's
 * state and the kernel stack. As BCC: a kprobe on tcp_drop where the kernel has that function
 * (before 5.19), else skb:kfree_skb with a drop reason other than "not specified", for packets
 * that belong to a socket: skb->sk as BCC, else the receiving socket. Received packets are not
 * owned by their socket when TCP drops them, so BCC's test misses most receive-side drops; the
 * tracepoint reports the receiving socket from 6.11 (rx_sk), and before that (5.17-6.10, where
 * tcp_drop is gone) the socket is the one TCP is processing the packet for: noted at the entry
 * of tcp_rcv_established and tcp_rcv_state_process (every call of the old tcp_drop was under
 * them), forgotten at their exit. Where the kernel has neither tcp_drop nor drop reasons (5.10
 * as Debian builds it: tcp_drop inlined), a tcp_drop is recognised by what it does: it adds to
 * the socket's sk_drops and frees the packet with __kfree_skb, always under those two functions
 * on the receiving socket; so a __kfree_skb there of the packet being received, or of one
 * queued on that socket, after sk_drops grew, is a drop. TCP only: the IP header's protocol says so (the socket may be
 * a request or time-wait socket, which has no protocol field). */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcpdrop.h"

const volatile __u16 target_family = 0;         /* -4 / -6 */
const volatile bool count_sk_drops = false;     /* the skb_free probe is on (no tcp_drop, reasons) */

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__type(key, u32);
	__uint(value_size, 127 * sizeof(u64));
} stacks SEC(".maps");

/* The packet's tuple from its headers; false when it is no TCP over IPv4/IPv6. */
static __always_inline bool packet_tuple(const struct sk_buff *skb, struct net_tuple *t,
					 unsigned char *flags)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	u16 l3 = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	unsigned char *nh = head + BPF_CORE_READ(skb, network_header);
	unsigned char *th = head + BPF_CORE_READ(skb, transport_header);
	unsigned char tcp[14];
	u8 proto = 0;

	if (l3 == ETH_P_IP) {
		struct iphdr *ip = (struct iphdr *)nh;

		t->family = AF_INET;
		bpf_core_read(&proto, 1, &ip->protocol);
		bpf_core_read(t->saddr, 4, &ip->saddr);
		bpf_core_read(t->daddr, 4, &ip->daddr);
	} else if (l3 == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)nh;

		t->family = AF_INET6;
		bpf_core_read(&proto, 1, &ip6->nexthdr);
		bpf_core_read(t->saddr, 16, &ip6->saddr);
		bpf_core_read(t->daddr, 16, &ip6->daddr);
	}
	if (proto != IPPROTO_TCP || bpf_probe_read_kernel(tcp, sizeof(tcp), th))
		return false;
	t->sport = (tcp[0] << 8) | tcp[1];
	t->dport = (tcp[2] << 8) | tcp[3];
	*flags = tcp[13];
	return true;
}

static __always_inline int dropped(void *ctx, const struct sock *sk, const struct sk_buff *skb,
				   unsigned int reason)
{
	struct tcpdrop_event e;

	if (!sk || !skb)
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	if (!packet_tuple(skb, &e.tuple, &e.tcpflags) ||
	    !net_family_wanted(target_family, e.tuple.family))
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.state = BPF_CORE_READ(sk, __sk_common.skc_state);
	e.reason = reason;
	e.kernel_stack_id = bpf_get_stackid(ctx, &stacks, 0);
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

/* A reason that says why: above SKB_DROP_REASON_NOT_SPECIFIED (the enum's values are this
 * kernel's, relocated). */
static __always_inline bool explained(unsigned int reason)
{
	return reason > bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_NOT_SPECIFIED);
}

SEC("kprobe/tcp_drop")
int BPF_KPROBE(drop_kprobe, struct sock *sk, struct sk_buff *skb)
{
	return dropped(ctx, sk, skb, 0);
}

/* Packets TCP is receiving now -> the socket it receives them on; only filled where the
 * tracepoint has drop reasons but no rx_sk (the applet turns the rcv_* probes off elsewhere). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);               /* the sk_buff */
	__type(value, u64);             /* the struct sock */
} receiving SEC(".maps");

/* The receiving sockets' sk_drops as last seen (count_sk_drops only). A socket is received on
 * by one context at a time (its lock), so one entry per socket serves. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);               /* the struct sock */
	__type(value, u32);
} drops_seen SEC(".maps");

static __always_inline int rcv_begin(const struct sock *sk, const struct sk_buff *skb)
{
	u64 key = (u64)skb, val = (u64)sk;

	bpf_map_update_elem(&receiving, &key, &val, BPF_ANY);
	if (count_sk_drops) {
		u32 drops = BPF_CORE_READ(sk, sk_drops.counter);

		bpf_map_update_elem(&drops_seen, &val, &drops, BPF_ANY);
	}
	return 0;
}

static __always_inline int rcv_end(const struct sock *sk, const struct sk_buff *skb)
{
	u64 key = (u64)skb, skey = (u64)sk;

	bpf_map_delete_elem(&receiving, &key);
	if (count_sk_drops)
		bpf_map_delete_elem(&drops_seen, &skey);
	return 0;
}

SEC("fentry/tcp_rcv_established")
int BPF_PROG(rcv_established_fentry, struct sock *sk, struct sk_buff *skb)
{
	return rcv_begin(sk, skb);
}

SEC("fexit/tcp_rcv_established")
int BPF_PROG(rcv_established_end_fexit, struct sock *sk, struct sk_buff *skb)
{
	return rcv_end(sk, skb);
}

SEC("fentry/tcp_rcv_state_process")
int BPF_PROG(rcv_state_fentry, struct sock *sk, struct sk_buff *skb)
{
	return rcv_begin(sk, skb);
}

SEC("fexit/tcp_rcv_state_process")
int BPF_PROG(rcv_state_end_fexit, struct sock *sk, struct sk_buff *skb)
{
	return rcv_end(sk, skb);
}

/* The socket of a dropped packet: its owner, else the receiving socket the tracepoint reports
 * (6.11+), else the one TCP is receiving it on. */
static __always_inline const struct sock *drop_sock(const struct sk_buff *skb, const struct sock *rx_sk)
{
	const struct sock *sk = BPF_CORE_READ(skb, sk);
	u64 key = (u64)skb, *rcv;

	if (sk)
		return sk;
	if (rx_sk)
		return rx_sk;
	rcv = bpf_map_lookup_elem(&receiving, &key);
	return rcv ? (const struct sock *)*rcv : NULL;
}

/* Whether this kernel's kfree_skb has rx_sk: the raw hooks then have a fourth argument. */
#define KFREE_SKB_HAS_RX_SK bpf_core_field_exists(((struct trace_event_raw_kfree_skb *)0)->rx_sk)

SEC("raw_tp/kfree_skb")
int drop_raw(u64 *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx[0];
	unsigned int reason = ctx[2];
	const struct sock *rx_sk = KFREE_SKB_HAS_RX_SK ? (const struct sock *)ctx[3] : NULL;

	return explained(reason) ? dropped(ctx, drop_sock(skb, rx_sk), skb, reason) : 0;
}

SEC("tp_btf/kfree_skb")
int drop_btf(u64 *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx[0];
	unsigned int reason = ctx[2];
	const struct sock *rx_sk = KFREE_SKB_HAS_RX_SK ? (const struct sock *)ctx[3] : NULL;

	return explained(reason) ? dropped(ctx, drop_sock(skb, rx_sk), skb, reason) : 0;
}

SEC("tracepoint/skb/kfree_skb")
int drop_tp(struct trace_event_raw_kfree_skb *ctx)
{
	struct sk_buff *skb = ctx->skbaddr;
	unsigned int reason = ctx->reason;
	const struct sock *rx_sk = NULL;

	if (bpf_core_field_exists(ctx->rx_sk))
		rx_sk = BPF_CORE_READ(ctx, rx_sk);
	return explained(reason) ? dropped(ctx, drop_sock(skb, rx_sk), skb, reason) : 0;
}

/* The inlined tcp_drop's __kfree_skb: the packet being received (not owned) or one queued on the
 * socket (owned, e.g. out of order), freed while sk_drops has grown since last seen. */
SEC("fentry/__kfree_skb")
int BPF_PROG(skb_free_fentry, struct sk_buff *skb)
{
	const struct sock *sk = drop_sock(skb, NULL);
	u64 key = (u64)sk;
	u32 *seen, drops;

	if (!sk || !(seen = bpf_map_lookup_elem(&drops_seen, &key)))
		return 0;
	drops = BPF_CORE_READ(sk, sk_drops.counter);
	if (drops == *seen)
		return 0;
	*seen = drops;
	return dropped(ctx, sk, skb, 0);
}

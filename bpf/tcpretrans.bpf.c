/* tcpretrans: TCP retransmits from tcp:tcp_retransmit_skb (raw_tp, tp_btf, tracepoint), as BCC on
 * kernels with the tracepoint; -l adds tail loss probes at tcp_send_loss_probe, which has no
 * tracepoint (fentry or kprobe only). The task is whichever is current: mostly a timer's softirq. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcpretrans.h"

const volatile __u16 target_family = 0;         /* -4 / -6 */
const volatile bool count_only = false;         /* -c */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct net_flow);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int retransmitted(void *ctx, const struct sock *sk, const struct sk_buff *skb,
					 int type)
{
	struct tcpretrans_event e;

	if (!sk)
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	net_tuple_from_sock(sk, &e.tuple);
	if ((e.tuple.family != AF_INET && e.tuple.family != AF_INET6) ||
	    !net_family_wanted(target_family, e.tuple.family))
		return 0;
	if (count_only) {
		net_count_flow(&counts, &e.tuple, true);
		return 0;
	}
	/* TCP_SKB_CB(skb)->seq: the control block lives in skb->cb. */
	if (skb)
		e.seq = BPF_CORE_READ((struct tcp_skb_cb *)&skb->cb[0], seq);
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.state = BPF_CORE_READ(sk, __sk_common.skc_state);
	e.type = type;
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(tcp_retransmit_skb_raw, const struct sock *sk, const struct sk_buff *skb)
{ return retransmitted(ctx, sk, skb, TCPRETRANS_RETRANSMIT); }
SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(tcp_retransmit_skb_btf, const struct sock *sk, const struct sk_buff *skb)
{ return retransmitted(ctx, sk, skb, TCPRETRANS_RETRANSMIT); }

/* The record's first fields, the same in every kernel (the class was tcp_event_sk_skb before
 * 6.12 added `err`): no CO-RE needed. */
struct tcp_retransmit_skb_record {
	unsigned long long common;
	const struct sk_buff *skbaddr;
	const struct sock *skaddr;
};

SEC("tracepoint/tcp/tcp_retransmit_skb")
int tcp_retransmit_skb_tp(struct tcp_retransmit_skb_record *ctx)
{ return retransmitted(ctx, ctx->skaddr, ctx->skbaddr, TCPRETRANS_RETRANSMIT); }

/* -l (turned on by configure): no tracepoint. */
SEC("fentry/tcp_send_loss_probe")
int BPF_PROG(tlp_fentry, struct sock *sk) { return retransmitted(ctx, sk, NULL, TCPRETRANS_TLP); }
SEC("kprobe/tcp_send_loss_probe")
int BPF_KPROBE(tlp_kprobe, struct sock *sk) { return retransmitted(ctx, sk, NULL, TCPRETRANS_TLP); }

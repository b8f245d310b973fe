/* tcpreset: TCP resets the kernel sends in answer to a segment (a SYN to a closed port: port
 * scans), with the segment's addresses and ports, as the book's tcpreset.bt (ch. 11): kprobes on
 * tcp_v4_send_reset and tcp_v6_send_reset, the segment's headers read from its skb. Without
 * kprobes, the tcp:tcp_send_reset tracepoint with the same skb: from 6.10 it fires in the same
 * places, with or without a socket; before, only for resets from a socket. Resets sent with no
 * segment to answer (tcp_send_active_reset: no skb) are not shown, as in the book. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "skbhdr.bpf.h"
#include "tcpreset.h"

static __always_inline int reset(void *ctx, const struct sk_buff *skb)
{
	struct tcpreset_event e = {};
	struct skb_ip ip = {};
	unsigned char ports[4];

	if (!skb || !skb_ip_headers(skb, true, &ip) || ip.protocol != IPPROTO_TCP ||
	    bpf_probe_read_kernel(ports, sizeof(ports), ip.l4))
		return 0;
	/* the segment came from the remote end: its destination is ours */
	e.t.family = ip.family;
	__builtin_memcpy(e.t.saddr, ip.daddr, sizeof(e.t.saddr));
	__builtin_memcpy(e.t.daddr, ip.saddr, sizeof(e.t.daddr));
	e.t.sport = ports[2] << 8 | ports[3];
	e.t.dport = ports[0] << 8 | ports[1];
	e.ts_ns = bpf_ktime_get_ns();
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

SEC("kprobe/tcp_v4_send_reset")
int BPF_KPROBE(send_reset_kprobe, const struct sock *sk, struct sk_buff *skb)
{
	return reset(ctx, skb);
}

SEC("kprobe/tcp_v6_send_reset")
int BPF_KPROBE(send_reset6_kprobe, const struct sock *sk, struct sk_buff *skb)
{
	return reset(ctx, skb);
}

/* tcp_send_reset(sk, skb[, reason]): both families. */
SEC("raw_tp/tcp_send_reset")
int BPF_PROG(send_reset_raw, const struct sock *sk, const struct sk_buff *skb)
{
	return reset(ctx, skb);
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(send_reset_btf, const struct sock *sk, const struct sk_buff *skb)
{
	return reset(ctx, skb);
}

/* tcpwin: a TCP socket's congestion window, slow-start threshold and send buffer at each
 * segment received in the established state, as the book's tcpwin.bt: a kprobe on
 * tcp_rcv_established; without kprobes, the tcp:tcp_probe tracepoint, which that function fires
 * first thing with the same socket. */
#include "bcct.bpf.h"
#include "tcpwin.h"

static __always_inline int received(void *ctx, const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	struct tcpwin_event e = {};

	if (!sk)
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.sock = (u64)sk;
	e.snd_cwnd = BPF_CORE_READ(tp, snd_cwnd);
	e.snd_ssthresh = BPF_CORE_READ(tp, snd_ssthresh);
	e.sk_sndbuf = BPF_CORE_READ(sk, sk_sndbuf);
	e.sk_wmem_queued = BPF_CORE_READ(sk, sk_wmem_queued);
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

SEC("kprobe/tcp_rcv_established")
int BPF_KPROBE(rcv_established_kprobe, struct sock *sk) { return received(ctx, sk); }
SEC("raw_tp/tcp_probe")
int BPF_PROG(rcv_established_raw, struct sock *sk) { return received(ctx, sk); }
SEC("tp_btf/tcp_probe")
int BPF_PROG(rcv_established_btf, struct sock *sk) { return received(ctx, sk); }

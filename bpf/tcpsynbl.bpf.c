/* tcpsynbl: the SYN backlog of listening sockets, as BCC's tcpsynbl: when a handshake completes
 * and the child socket is made (tcp_v4_syn_recv_sock/tcp_v6_syn_recv_sock entry, kprobes), the
 * listener's count of connections waiting for accept(), in a histogram per listener's maximum
 * backlog. Without kprobes: the child's LISTEN -> SYN_RECV change
 * (sock:inet_sock_set_state), made inside the same function right after, on a clone of the
 * listener that still carries both counts as they were (the kprobe reads them a few
 * instructions earlier). */
#include "bcct.bpf.h"
#include "net.bpf.h"

const volatile __u16 target_family = 0;                  /* -4 / -6 */

/* Key: the listener's maximum backlog (BCC's backlog_max sections). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline int count(const struct sock *sk)
{
	u32 max = BPF_CORE_READ(sk, sk_max_ack_backlog);

	if (!net_family_wanted(target_family, BPF_CORE_READ(sk, __sk_common.skc_family)))
		return 0;
	bcct_hist_add_log2(&hists, &max, BPF_CORE_READ(sk, sk_ack_backlog));
	return 0;
}

/* Kprobes only, as BCC: 6.1 loads an fentry program on tcp_v4_syn_recv_sock but refuses to
 * attach it (ENOTSUPP, tests/vm/matrix). */
SEC("kprobe/tcp_v4_syn_recv_sock")
int BPF_KPROBE(syn_recv_v4_kprobe, struct sock *sk) { return count(sk); }
SEC("kprobe/tcp_v6_syn_recv_sock")
int BPF_KPROBE(syn_recv_v6_kprobe, struct sock *sk) { return count(sk); }

/* The fallback, both families: the v4 probe's last candidates. */
static __always_inline int state_changed(void *ctx, const struct net_state_change *c)
{
	if (c->protocol != IPPROTO_TCP || c->oldstate != TCP_LISTEN || c->newstate != TCP_SYN_RECV)
		return 0;
	return count(c->sk);
}

NET_SOCK_SET_STATE_PROGRAMS(syn_recv_v4, state_changed)

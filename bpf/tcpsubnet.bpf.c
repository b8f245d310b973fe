/* tcpsubnet: bytes of TCP sends to IPv4 destinations, summed per subnet of the user's list (the
 * first that matches), as BCC: tcp_sendmsg entry, the size asked for (fentry, else kprobe).
 * Without either: sock:sock_send_length for TCP sockets, the bytes the send returned (a failed
 * send counts nothing; BCC counts what it asked for). */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcpsubnet.h"

/* Network order, each address already masked. */
const volatile __u32 subnet_addr[TCPSUBNET_MAX] = {};
const volatile __u32 subnet_mask[TCPSUBNET_MAX] = {};
const volatile __u32 nsubnets = 0;

/* Key: the subnet's index in the list. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCPSUBNET_MAX);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int sent(const struct sock *sk, long bytes)
{
	u32 dst;
	u64 zero = 0, *n;

	if (bytes < 0 || BPF_CORE_READ(sk, __sk_common.skc_family) != AF_INET ||
	    !bcct_filter_current())
		return 0;
	dst = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	for (u32 i = 0; i < TCPSUBNET_MAX && i < nsubnets; i++) {
		if ((dst & subnet_mask[i]) != subnet_addr[i])
			continue;
		n = bcct_lookup_or_init(&counts, &i, &zero);
		if (n)
			__sync_fetch_and_add(n, bytes);
		break;
	}
	return 0;
}

SEC("fentry/tcp_sendmsg")
int BPF_PROG(send_fentry, struct sock *sk, struct msghdr *msg, size_t size)
{ return sent(sk, size); }
SEC("kprobe/tcp_sendmsg")
int BPF_KPROBE(send_kprobe, struct sock *sk, struct msghdr *msg, size_t size)
{ return sent(sk, size); }

/* The tracepoints fire for every socket: TCP only. */
static __always_inline int sent_length(const struct sock *sk, int ret)
{
	return net_sock_is_tcp(sk) ? sent(sk, ret) : 0;
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(send_raw, struct sock *sk, int ret) { return sent_length(sk, ret); }
SEC("tp_btf/sock_send_length")
int BPF_PROG(send_btf, struct sock *sk, int ret) { return sent_length(sk, ret); }
SEC("tracepoint/sock/sock_send_length")
int send_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	return ctx->protocol == IPPROTO_TCP ? sent(ctx->sk, ctx->ret) : 0;
}

/* tcptop: TCP bytes sent and received per connection and process.
 *
 * As BCC: what tcp_sendmsg returned (fexit, else kprobe on entry for the socket and kretprobe
 * for the size) and what tcp_cleanup_rbuf is told was copied to the reader (fentry, else
 * kprobe). Without either, sock:sock_send_length and sock:sock_recv_length (5.19+), which
 * report what every socket's sendmsg/recvmsg returned, in the caller's context: kept for TCP
 * sockets and a positive length, MSG_PEEK reads left out (the kernel reports 0 for them too).
 * They miss TCP that does not pass through a socket call from user space: sendfile/splice
 * through tcp_sendpage on kernels that have it, and readers inside the kernel (tcp_read_sock:
 * NFS, kTLS, sockmap). */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcptop.h"

#define MSG_PEEK 2

const volatile __u16 target_family = 0;                  /* -4 / -6 */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCPTOP_MAX_ENTRIES);
	__type(key, struct tcptop_key);
	__type(value, struct tcptop_val);
} counts SEC(".maps");

/* The socket a thread is in tcp_sendmsg() with, for the kretprobe. LRU: a thread that dies
 * there leaves nothing for good. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, const struct sock *);
} sending SEC(".maps");

static const struct tcptop_val zero_val;

static __always_inline int account(const struct sock *sk, long bytes, bool sent)
{
	struct tcptop_key key;
	struct net_tuple t = {};
	struct tcptop_val *v;
	u64 id = bpf_get_current_pid_tgid();

	if (bytes <= 0 || !sk || !bcct_filter_current())
		return 0;
	net_tuple_from_sock(sk, &t);
	if ((t.family != AF_INET && t.family != AF_INET6) ||
	    !net_family_wanted(target_family, t.family))
		return 0;
	__builtin_memset(&key, 0, sizeof(key));
	net_flow_from_tuple(&key.flow, &t, true);
	key.pid = id >> 32;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	v = bcct_lookup_or_init(&counts, &key, &zero_val);
	if (v)
		__sync_fetch_and_add(sent ? &v->sent : &v->received, bytes);
	return 0;
}

/* Sends: the entry remembers the socket for the kretprobe (fentry only keeps the pair chosen
 * together: fexit has the socket as its argument). */
static __always_inline int send_entry(const struct sock *sk)
{
	u32 tid = bpf_get_current_pid_tgid();

	bpf_map_update_elem(&sending, &tid, &sk, BPF_ANY);
	return 0;
}

static __always_inline int send_return(const struct sock *sk, int ret)
{
	u32 tid = bpf_get_current_pid_tgid();
	const struct sock **skp = bpf_map_lookup_elem(&sending, &tid);

	if (!skp)
		return 0;
	if (!sk)
		sk = *skp;
	bpf_map_delete_elem(&sending, &tid);
	return account(sk, ret, true);
}

SEC("fentry/tcp_sendmsg")
int BPF_PROG(send_entry_fentry, struct sock *sk) { return send_entry(sk); }
SEC("kprobe/tcp_sendmsg")
int BPF_KPROBE(send_entry_kprobe, struct sock *sk) { return send_entry(sk); }
SEC("fexit/tcp_sendmsg")
int BPF_PROG(send_fexit, struct sock *sk, struct msghdr *msg, size_t size, int ret)
{ return send_return(sk, ret); }
SEC("kretprobe/tcp_sendmsg")
int BPF_KRETPROBE(send_kretprobe, int ret) { return send_return(NULL, ret); }

/* The fallback: the send_entry probe has no candidate then (optional). */
SEC("raw_tp/sock_send_length")
int BPF_PROG(send_raw, struct sock *sk, int ret, int flags)
{
	return net_sock_is_tcp(sk) ? account(sk, ret, true) : 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(send_btf, struct sock *sk, int ret, int flags)
{
	return net_sock_is_tcp(sk) ? account(sk, ret, true) : 0;
}

SEC("tracepoint/sock/sock_send_length")
int send_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	return account(ctx->sk, ctx->ret, true);
}

/* Receives. */
SEC("fentry/tcp_cleanup_rbuf")
int BPF_PROG(recv_fentry, struct sock *sk, int copied)
{
	return account(sk, copied, false);
}

SEC("kprobe/tcp_cleanup_rbuf")
int BPF_KPROBE(recv_kprobe, struct sock *sk, int copied)
{
	return account(sk, copied, false);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(recv_raw, struct sock *sk, int ret, int flags)
{
	return net_sock_is_tcp(sk) && !(flags & MSG_PEEK) ? account(sk, ret, false) : 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(recv_btf, struct sock *sk, int ret, int flags)
{
	return net_sock_is_tcp(sk) && !(flags & MSG_PEEK) ? account(sk, ret, false) : 0;
}

SEC("tracepoint/sock/sock_recv_length")
int recv_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	if (ctx->protocol != IPPROTO_TCP || (ctx->flags & MSG_PEEK))
		return 0;
	return account(ctx->sk, ctx->ret, false);
}

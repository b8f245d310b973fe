/* solisten: listen() on IPv4 and IPv6 sockets, with the backlog asked for, the port and address
 * the socket is bound to (0 and the wildcard when listen binds it), and its network namespace.
 * As BCC: a kprobe on inet_listen. Without kprobes the fallback is the listen() syscall's entry
 * with the socket behind its fd, read in the same state (listens made without the syscall, by
 * in-kernel users or io_uring, are not seen). */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "solisten.h"

const volatile __u32 target_netns = 0;   /* -n */

static __always_inline int report(void *ctx, const struct sock *sk, int backlog)
{
	const struct inet_sock *inet = (const struct inet_sock *)sk;
	struct solisten_event e;

	if (!sk || !bcct_filter_current())
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	e.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (e.family != AF_INET && e.family != AF_INET6)
		return 0;   /* the syscall fallback sees every family's listens */
	e.netns = net_sock_netns(sk);
	if (target_netns && e.netns != target_netns)
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.backlog = backlog;
	e.port = bpf_ntohs(BPF_CORE_READ(inet, inet_sport));
	if (e.family == AF_INET)
		bpf_core_read(e.addr, 4, &sk->__sk_common.skc_rcv_saddr);
	else
		bpf_core_read(e.addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

SEC("kprobe/inet_listen")
int BPF_KPROBE(inet_listen_kprobe, struct socket *sock, int backlog)
{
	return report(ctx, BPF_CORE_READ(sock, sk), backlog);
}

SEC("tracepoint/syscalls/sys_enter_listen")
int inet_listen_tp(struct trace_event_raw_sys_enter *ctx)
{
	return report(ctx, net_fd_sock((int)ctx->args[0]), (int)ctx->args[1]);
}

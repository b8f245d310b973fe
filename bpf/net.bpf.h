/* Network family, BPF side: socket tuples from a struct sock (CO-RE) or from the classic
 * sock:inet_sock_set_state record, port-list and address-family filters over .rodata arrays the
 * tool declares, and the socket's network namespace. Byte order is settled here, once: ports
 * leave in host order, addresses stay in network order (what inet_ntop takes). Used by tcplife
 * today and by every TCP tool to come (tcpstates, tcpconnect, tcpaccept, tcpconnlat, tcptracer,
 * tcpretrans, tcpdrop, tcptop, solisten); user space formats with core/family/net.h.
 * Include after bcct.bpf.h. */
#ifndef BCCT_NET_BPF_H
#define BCCT_NET_BPF_H
#include <bpf/bpf_endian.h>
#include "fs.bpf.h"
#include "net.h"

/* vmlinux.h has the kernel's types but not its macros. */
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

/* Fills t from a socket, as sock:inet_sock_set_state would report it. The local port comes from
 * inet_sport, which stays set until the socket is freed, whereas skc_num is cleared when the
 * port is released (at TCP_CLOSE, before a tool reads it); skc_num only serves while a bind is
 * half done (the port number is taken before inet_sport is set). */
static __always_inline void net_tuple_from_sock(const struct sock *sk, struct net_tuple *t)
{
	const struct inet_sock *inet = (const struct inet_sock *)sk;

	t->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	t->sport = bpf_ntohs(BPF_CORE_READ(inet, inet_sport));
	if (!t->sport)
		t->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	t->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (t->family == AF_INET) {
		bpf_core_read(t->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(t->daddr, 4, &sk->__sk_common.skc_daddr);
	} else if (t->family == AF_INET6) {
		bpf_core_read(t->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(t->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

/* Fills t from the classic tracepoint's record, whose ports are already in host order. The
 * addresses are copied by helper: inline copies compile to loads through ctx + (relocated
 * offset), a modified ctx pointer that the 5.10 verifier refuses. */
static __always_inline void net_tuple_from_state_tp(struct trace_event_raw_inet_sock_set_state *ctx,
						    struct net_tuple *t)
{
	t->family = ctx->family;
	t->sport = ctx->sport;
	t->dport = ctx->dport;
	if (t->family == AF_INET) {
		bpf_core_read(t->saddr, 4, &ctx->saddr);
		bpf_core_read(t->daddr, 4, &ctx->daddr);
	} else {
		bpf_core_read(t->saddr, 16, &ctx->saddr_v6);
		bpf_core_read(t->daddr, 16, &ctx->daddr_v6);
	}
}

/* The inode number of the socket's network namespace (what tcptracer -N and solisten
 * --show-netns print). Separate from the tuple so tools that do not print it do not relocate
 * struct net. */
static __always_inline unsigned int net_sock_netns(const struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

#define NET_S_IFMT 0170000
#define NET_S_IFSOCK 0140000

/* The socket behind the current task's fd (a syscall's argument or result: accept's new fd),
 * NULL when fd is no socket: a socket file's private_data is its struct socket. */
static __always_inline const struct sock *net_fd_sock(int fd)
{
	struct file *f = fs_fd_file(fd);
	struct socket *sock;

	if (!f || (fs_file_mode(f) & NET_S_IFMT) != NET_S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/* -L/-D style filters: ports is a tool's `const volatile u16 x[NET_MAX_PORTS]`, 0-terminated
 * (core/family/net.h fills it); an empty list keeps every port. */
static __always_inline bool net_port_wanted(const volatile u16 *ports, u16 port)
{
	if (!ports[0])
		return true;
	for (int i = 0; i < NET_MAX_PORTS && ports[i]; i++)
		if (ports[i] == port)
			return true;
	return false;
}

/* -4/-6: target is AF_INET, AF_INET6, or 0 for both. */
static __always_inline bool net_family_wanted(u16 target, u16 family)
{
	return !target || family == target;
}
#endif

/* Network family, BPF side: socket tuples from a struct sock (CO-RE) or from the classic
 * sock:inet_sock_set_state record, the programs on that tracepoint (NET_SOCK_SET_STATE_PROGRAMS),
 * the socket behind an fd, port-list and address-family filters over .rodata arrays the tool
 * declares, and the socket's network namespace. Byte order is settled here, once: ports leave in
 * host order, addresses stay in network order (what inet_ntop takes). Used by tcplife,
 * tcpstates, tcpconnect, tcpaccept, tcpconnlat, tcpretrans, tcpdrop, tcptop, tcptracer, tcprtt,
 * tcpsynbl, tcpsubnet, tcpcong, solisten and bindsnoop; user space formats with
 * core/family/net.h.
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

/* One sock:inet_sock_set_state hit, however it was hooked: the socket (an identity only, never
 * dereferenced by the tools), both states, the protocol and the tuple. */
struct net_state_change {
	const struct sock *sk;
	int oldstate, newstate;
	u16 protocol;
	struct net_tuple t;
};

/* NET_SOCK_SET_STATE_PROGRAMS(probe, handler) defines the candidates of a probe on
 * sock:inet_sock_set_state (usually named inet_sock_set_state; a fallback names it after the
 * probe it replaces):
 * raw_tp and tp_btf (tuple read from the socket as the tracepoint reads it) and the classic
 * tracepoint (tuple from its record); each calls `int handler(void *ctx, const struct
 * net_state_change *c)`. One definition for every tool on this tracepoint (tcplife, tcpstates,
 * tcpconnect's and tcpconnlat's fallbacks) so their programs read it the same way. */
static __always_inline void net_state_from_sock(const struct sock *sk, int oldstate, int newstate,
						struct net_state_change *c)
{
	c->sk = sk;
	c->oldstate = oldstate;
	c->newstate = newstate;
	c->protocol = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
	net_tuple_from_sock(sk, &c->t);
}

#define NET_SOCK_SET_STATE_PROGRAMS(probe, handler)						\
	SEC("raw_tp/inet_sock_set_state")						\
	int BPF_PROG(probe##_raw, const struct sock *sk, int oldstate,		\
		     int newstate)								\
	{										\
		struct net_state_change c = {};						\
											\
		net_state_from_sock(sk, oldstate, newstate, &c);			\
		return handler(ctx, &c);						\
	}										\
	SEC("tp_btf/inet_sock_set_state")						\
	int BPF_PROG(probe##_btf, const struct sock *sk, int oldstate,		\
		     int newstate)								\
	{										\
		struct net_state_change c = {};						\
											\
		net_state_from_sock(sk, oldstate, newstate, &c);			\
		return handler(ctx, &c);						\
	}										\
	SEC("tracepoint/sock/inet_sock_set_state")					\
	int probe##_tp(struct trace_event_raw_inet_sock_set_state *ctx)	\
	{										\
		struct net_state_change c = {						\
			.sk = ctx->skaddr, .oldstate = ctx->oldstate,			\
			.newstate = ctx->newstate, .protocol = ctx->protocol,		\
		};									\
											\
		net_tuple_from_state_tp(ctx, &c.t);					\
		return handler(ctx, &c);						\
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

/* The flow of t as a map key (padding zeroed), the local port left out unless with_lport. */
static __always_inline void net_flow_from_tuple(struct net_flow *f, const struct net_tuple *t,
						bool with_lport)
{
	__builtin_memset(f, 0, sizeof(*f));
	__builtin_memcpy(f->saddr, t->saddr, sizeof(f->saddr));
	__builtin_memcpy(f->daddr, t->daddr, sizeof(f->daddr));
	f->family = t->family;
	f->lport = with_lport ? t->sport : 0;
	f->dport = t->dport;
}

/* Adds one to the count of t's flow in map (key struct net_flow, value u64), the local port
 * left out unless with_lport. */
static __always_inline void net_count_flow(void *map, const struct net_tuple *t, bool with_lport)
{
	struct net_flow f;
	u64 zero = 0, *n;

	net_flow_from_tuple(&f, t, with_lport);
	n = bcct_lookup_or_init(map, &f, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
}

/* Whether sk is a TCP socket: what tracepoints that fire for every socket (sock:sock_send_length,
 * sock:sock_recv_length, a syscall's fd) are filtered on. */
static __always_inline bool net_sock_is_tcp(const struct sock *sk)
{
	return sk && BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) == IPPROTO_TCP;
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

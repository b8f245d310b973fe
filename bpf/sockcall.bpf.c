/* sockcall: connect(2) and accept(2) as the book's socket tools see them (see sockcall.h).
 *
 * soconnect, soaccept and sofamily are, as in the book, the connect/accept/accept4 syscalls: the
 * sockaddr is the caller's, read from user memory (connect's at entry, accept's at return, once
 * the kernel has filled it). They run on the raw sys_enter/sys_exit hooks, dispatching on the
 * syscall number, with the per-syscall tracepoints as parts (bpf/syscalls.bpf.h: a raw_tp link
 * is released in a millisecond, a tracepoint in 35-60 ms). soprotocol's best probes are kprobes
 * on security_socket_connect/accept (every socket family, kernel callers too); without kprobes,
 * the syscalls' entries with the socket behind their fd (the listening socket for accept, as
 * the kprobe sees it), one raw sys_enter program for both. udpconnect's are kprobes on
 * ip4/ip6_datagram_connect; without them, the connect syscall's entry on a UDP socket (fd to
 * socket), so in-kernel connects are not seen. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "syscalls.bpf.h"
#include "sockcall.h"

const volatile int mode = SOCKCALL_SOCONNECT;

/* A call in progress per thread: when it began, the user sockaddr and the fd. */
struct call_start {
	u64 ts;
	u64 uaddr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct call_start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct sockcall_family_key);
	__type(value, u64);
} families SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct sockcall_protocol_key);
	__type(value, u64);
} protocols SEC(".maps");

/* The family, address and port of a sockaddr (user memory when user, else kernel memory);
 * false when unreadable. */
static __always_inline bool read_sockaddr(u64 p, bool user, struct sockcall_event *e)
{
	struct sockaddr_in6 sa;

	__builtin_memset(&sa, 0, sizeof(sa));
	if (!p)
		return false;
	if ((user ? bpf_probe_read_user(&sa, sizeof(sa), (void *)p)
		  : bpf_probe_read_kernel(&sa, sizeof(sa), (void *)p)) &&
	    (user ? bpf_probe_read_user(&sa, sizeof(struct sockaddr_in), (void *)p)
		  : bpf_probe_read_kernel(&sa, sizeof(struct sockaddr_in), (void *)p)))
		return false;   /* a sockaddr_in at the end of a mapping */
	e->family = sa.sin6_family;
	e->port = bpf_ntohs(sa.sin6_port);
	if (e->family == AF_INET)
		__builtin_memcpy(e->addr, &((struct sockaddr_in *)&sa)->sin_addr, 4);
	else if (e->family == AF_INET6)
		__builtin_memcpy(e->addr, &sa.sin6_addr, 16);
	return true;
}

static __always_inline void emit(void *ctx, struct sockcall_event *e)
{
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bcct_event_output(ctx, e, sizeof(*e));
}

static __always_inline void count_family(u32 call, u32 family)
{
	struct sockcall_family_key k = { .call = call, .family = family };
	static const u64 zero;
	u64 *n;

	bpf_get_current_comm(k.comm, sizeof(k.comm));
	n = bcct_lookup_or_init(&families, &k, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline void count_protocol(const struct sock *sk)
{
	struct sockcall_protocol_key k = {};
	static const u64 zero;
	u64 *n;

	if (!sk)
		return;
	bpf_get_current_comm(k.comm, sizeof(k.comm));
	k.protocol = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) & 0xff;
	bpf_probe_read_kernel_str(k.name, sizeof(k.name), BPF_CORE_READ(sk, __sk_common.skc_prot, name));
	n = bcct_lookup_or_init(&protocols, &k, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline void stash(u64 uaddr)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct call_start s = { .ts = bpf_ktime_get_ns(), .uaddr = uaddr };

	bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
}

/* What stash() kept for this thread, forgotten; false for nothing. */
static __always_inline bool unstash(struct call_start *s)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct call_start *p = bpf_map_lookup_elem(&starts, &tid);

	if (!p)
		return false;
	*s = *p;
	bpf_map_delete_elem(&starts, &tid);
	return true;
}

/* ---- connect(fd, uservaddr, addrlen): soconnect, sofamily ---- */
static __always_inline int connect_enter(u64 uaddr)
{
	struct sockcall_event e = {};

	if (!bcct_filter_current() || !read_sockaddr(uaddr, true, &e))
		return 0;
	if (mode == SOCKCALL_SOFAMILY)
		count_family(SOCKCALL_CONNECT, e.family);
	else if (e.family == AF_INET || e.family == AF_INET6)
		stash(uaddr);
	return 0;
}

static __always_inline int connect_exit(void *ctx, long ret)
{
	struct sockcall_event e = {};
	struct call_start s;

	if (!unstash(&s) || !read_sockaddr(s.uaddr, true, &e))
		return 0;
	e.lat_ns = bpf_ktime_get_ns() - s.ts;
	e.ret = ret;
	emit(ctx, &e);
	return 0;
}

/* ---- accept(fd, upeer_sockaddr, ...), accept4: soaccept, sofamily ---- */
static __always_inline int accept_enter(u64 uaddr)
{
	if (bcct_filter_current() && uaddr)
		stash(uaddr);
	return 0;
}

static __always_inline int accept_exit(void *ctx, long ret)
{
	struct sockcall_event e = {};
	struct call_start s;

	if (!unstash(&s) || !read_sockaddr(s.uaddr, true, &e))
		return 0;
	if (mode == SOCKCALL_SOFAMILY) {
		if (ret > 0)
			count_family(SOCKCALL_ACCEPT, e.family);
		return 0;
	}
	if (e.family != AF_INET && e.family != AF_INET6)
		return 0;
	e.ret = ret;
	emit(ctx, &e);
	return 0;
}

BCCT_SYSCALL_NR(connect);
BCCT_SYSCALL_NR(accept);
BCCT_SYSCALL_NR(accept4);

static __always_inline bool is_accept(long id)
{
	return bcct_is_syscall(id, bcct_nr_accept) || bcct_is_syscall(id, bcct_nr_accept4);
}

/* The calls the mode traces: connect for soconnect and sofamily, accept for soaccept and
 * sofamily. */
#define TRACES_CONNECT (mode == SOCKCALL_SOCONNECT || mode == SOCKCALL_SOFAMILY)
#define TRACES_ACCEPT (mode == SOCKCALL_SOACCEPT || mode == SOCKCALL_SOFAMILY)

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	bool conn = TRACES_CONNECT && bcct_is_syscall(id, bcct_nr_connect);
	bool acc = TRACES_ACCEPT && is_accept(id);
	unsigned long a[6];

	if ((!conn && !acc) || !bcct_syscall_args(regs, a))
		return 0;
	return conn ? connect_enter(a[1]) : accept_enter(a[1]);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	long id = bcct_syscall_exit_nr(regs);

	if (TRACES_CONNECT && bcct_is_syscall(id, bcct_nr_connect))
		return bcct_syscall_native(regs) ? connect_exit(ctx, ret) : 0;
	if (TRACES_ACCEPT && is_accept(id))
		return bcct_syscall_native(regs) ? accept_exit(ctx, ret) : 0;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int sys_enter__connect_tp(struct bcct_sys_enter *ctx) { return connect_enter(ctx->args[1]); }
SEC("tracepoint/syscalls/sys_exit_connect")
int sys_exit__connect_tp(struct bcct_sys_exit *ctx) { return connect_exit(ctx, ctx->ret); }
SEC("tracepoint/syscalls/sys_enter_accept")
int sys_enter__accept_tp(struct bcct_sys_enter *ctx) { return accept_enter(ctx->args[1]); }
SEC("tracepoint/syscalls/sys_exit_accept")
int sys_exit__accept_tp(struct bcct_sys_exit *ctx) { return accept_exit(ctx, ctx->ret); }
SEC("tracepoint/syscalls/sys_enter_accept4")
int sys_enter__accept4_tp(struct bcct_sys_enter *ctx) { return accept_enter(ctx->args[1]); }
SEC("tracepoint/syscalls/sys_exit_accept4")
int sys_exit__accept4_tp(struct bcct_sys_exit *ctx) { return accept_exit(ctx, ctx->ret); }

/* ---- soprotocol: the socket connected or accepted on ---- */
SEC("kprobe/security_socket_connect")
int BPF_KPROBE(security_socket_connect_kprobe, struct socket *sock)
{
	if (bcct_filter_current())
		count_protocol(BPF_CORE_READ(sock, sk));
	return 0;
}

SEC("kprobe/security_socket_accept")
int BPF_KPROBE(security_socket_accept_kprobe, struct socket *sock)
{
	if (bcct_filter_current())
		count_protocol(BPF_CORE_READ(sock, sk));
	return 0;
}

/* The fallback: the syscalls' fd, the socket connected or listened on. One raw sys_enter
 * program stands in for both kprobes; the tracepoints are its parts. */
static __always_inline int protocol_of_fd(int fd)
{
	if (bcct_filter_current())
		count_protocol(net_fd_sock(fd));
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(security_socket_connect_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if ((!bcct_is_syscall(id, bcct_nr_connect) && !is_accept(id)) || !bcct_syscall_args(regs, a))
		return 0;
	return protocol_of_fd((int)a[0]);
}

SEC("tracepoint/syscalls/sys_enter_connect")
int security_socket_connect__connect_tp(struct bcct_sys_enter *ctx)
{
	return protocol_of_fd((int)ctx->args[0]);
}
SEC("tracepoint/syscalls/sys_enter_accept")
int security_socket_connect__accept_tp(struct bcct_sys_enter *ctx)
{
	return protocol_of_fd((int)ctx->args[0]);
}
SEC("tracepoint/syscalls/sys_enter_accept4")
int security_socket_connect__accept4_tp(struct bcct_sys_enter *ctx)
{
	return protocol_of_fd((int)ctx->args[0]);
}

/* ---- udpconnect: ip4/ip6_datagram_connect(sk, uaddr, addr_len) ---- */
static __always_inline int datagram_connect(void *ctx, u64 uaddr, bool user)
{
	struct sockcall_event e = {};

	if (!bcct_filter_current() || !read_sockaddr(uaddr, user, &e))
		return 0;
	if (e.family == AF_INET || e.family == AF_INET6)
		emit(ctx, &e);
	return 0;
}

SEC("kprobe/ip4_datagram_connect")
int BPF_KPROBE(ip4_datagram_connect_kprobe, struct sock *sk, struct sockaddr *uaddr)
{
	return datagram_connect(ctx, (u64)uaddr, false);
}

SEC("kprobe/ip6_datagram_connect")
int BPF_KPROBE(ip6_datagram_connect_kprobe, struct sock *sk, struct sockaddr *uaddr)
{
	return datagram_connect(ctx, (u64)uaddr, false);
}

/* The fallback: connect() on a UDP socket (either family: it stands in for both kprobes), on the
 * raw sys_enter hook, the tracepoint its part. */
static __always_inline int udp_connect(void *ctx, int fd, u64 uaddr)
{
	const struct sock *sk = net_fd_sock(fd);

	if (!sk || BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_UDP)
		return 0;
	return datagram_connect(ctx, uaddr, true);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(ip4_datagram_connect_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (!bcct_is_syscall(id, bcct_nr_connect) || !bcct_syscall_args(regs, a))
		return 0;
	return udp_connect(ctx, (int)a[0], a[1]);
}

SEC("tracepoint/syscalls/sys_enter_connect")
int ip4_datagram_connect__connect_tp(struct bcct_sys_enter *ctx)
{
	return udp_connect(ctx, (int)ctx->args[0], ctx->args[1]);
}

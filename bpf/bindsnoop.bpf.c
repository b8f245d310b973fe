/* bindsnoop: bind() of IPv4 and IPv6 sockets, with the address and port bound, the protocol,
 * the socket options that change how bind behaves, and the result.
 *
 * As BCC: kprobes on inet_bind and inet6_bind keep the socket per thread, and their return
 * probes report it once bound. Without kprobes the fallback is the bind() syscall: the socket
 * behind its fd at the syscall's return (the same socket, read in the same state), so binds made
 * without the syscall (in-kernel users, io_uring) are not seen: on the raw syscall hooks
 * (bpf/syscalls.bpf.h; released at once on Ctrl-C, where the two tracepoints took 130 ms), else
 * the bind tracepoints, both parts of the kprobes' probes (core/select.h), used only when those
 * cannot be. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "syscalls.bpf.h"
#include "bindsnoop.h"

const volatile bool report_errors = false;           /* -E */
const volatile bool count_only = false;              /* --count */
const volatile __u16 target_ports[NET_MAX_PORTS];    /* -P, 0-terminated */

/* Binds in progress per thread: the kprobes' struct socket, or the syscall's fd. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} binds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct bindsnoop_key);
	__type(value, u64);
} counts SEC(".maps");

/* Kernels before 6.6 keep these options in bitfields of inet_sock, later in inet_flags. */
struct inet_sock___bitfields {
	__u8 freebind: 1;
	__u8 transparent: 1;
	__u8 bind_address_no_port: 1;
} __attribute__((preserve_access_index));

static __always_inline u8 bind_options(const struct sock *sk)
{
	const struct inet_sock *inet = (const struct inet_sock *)sk;
	u8 o = 0;

	if (bpf_core_field_exists(inet->inet_flags)) {
		unsigned long f = BPF_CORE_READ(inet, inet_flags);

		o |= (f >> INET_FLAGS_FREEBIND & 1) ? BINDSNOOP_OPT_FREEBIND : 0;
		o |= (f >> INET_FLAGS_TRANSPARENT & 1) ? BINDSNOOP_OPT_TRANSPARENT : 0;
		o |= (f >> INET_FLAGS_BIND_ADDRESS_NO_PORT & 1) ? BINDSNOOP_OPT_NO_PORT : 0;
	} else {
		const struct inet_sock___bitfields *old = (const void *)sk;

		o |= BPF_CORE_READ_BITFIELD_PROBED(old, freebind) ? BINDSNOOP_OPT_FREEBIND : 0;
		o |= BPF_CORE_READ_BITFIELD_PROBED(old, transparent) ? BINDSNOOP_OPT_TRANSPARENT : 0;
		o |= BPF_CORE_READ_BITFIELD_PROBED(old, bind_address_no_port) ? BINDSNOOP_OPT_NO_PORT : 0;
	}
	/* BCC: the lowest bit of the 4-bit skc_reuse (SK_CAN_REUSE) */
	o |= BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuse) & 1 ? BINDSNOOP_OPT_REUSEADDR : 0;
	o |= BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuseport) ? BINDSNOOP_OPT_REUSEPORT : 0;
	return o;
}

static __always_inline int report(void *ctx, const struct sock *sk, int ret)
{
	const struct inet_sock *inet = (const struct inet_sock *)sk;
	struct bindsnoop_event e;

	if (!sk || (ret && !report_errors))
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	e.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (e.family != AF_INET && e.family != AF_INET6)
		return 0;   /* the syscall fallback sees every family's binds */
	e.port = bpf_ntohs(BPF_CORE_READ(inet, inet_sport));
	if (!net_port_wanted(target_ports, e.port))
		return 0;
	if (e.family == AF_INET)
		bpf_core_read(e.addr, 4, &inet->inet_saddr);
	else
		bpf_core_read(e.addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
	if (count_only) {
		struct bindsnoop_key k = { .family = e.family, .port = e.port };
		static const u64 zero;
		u64 *n;

		__builtin_memcpy(k.addr, e.addr, sizeof(k.addr));
		n = bcct_lookup_or_init(&counts, &k, &zero);
		if (n)
			__sync_fetch_and_add(n, 1);
		return 0;
	}
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.uid = (u32)bpf_get_current_uid_gid();
	e.ret = ret;
	e.bound_dev_if = BPF_CORE_READ(sk, __sk_common.skc_bound_dev_if);
	e.opts = bind_options(sk);
	e.protocol = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

static __always_inline int bind_enter(u64 what)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (bcct_filter_current())
		bpf_map_update_elem(&binds, &tid, &what, BPF_ANY);
	return 0;
}

/* Returns what bind_enter kept for this thread, and forgets it; 0 for none. */
static __always_inline u64 bind_taken(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 *p = bpf_map_lookup_elem(&binds, &tid), v;

	if (!p)
		return 0;
	v = *p;
	bpf_map_delete_elem(&binds, &tid);
	return v;
}

static __always_inline int kprobe_return(void *ctx, int ret)
{
	struct socket *sock = (struct socket *)bind_taken();

	return sock ? report(ctx, BPF_CORE_READ(sock, sk), ret) : 0;
}

SEC("kprobe/inet_bind")
int BPF_KPROBE(inet_bind_kprobe, struct socket *sock) { return bind_enter((u64)sock); }
SEC("kretprobe/inet_bind")
int BPF_KRETPROBE(inet_bind_ret_kretprobe, int ret) { return kprobe_return(ctx, ret); }
SEC("kprobe/inet6_bind")
int BPF_KPROBE(inet6_bind_kprobe, struct socket *sock) { return bind_enter((u64)sock); }
SEC("kretprobe/inet6_bind")
int BPF_KRETPROBE(inet6_bind_ret_kretprobe, int ret) { return kprobe_return(ctx, ret); }

/* The fallback: bind(fd, addr, addrlen). The fd is kept (+1: fd 0 is a socket too) and its
 * socket read at the return. */
BCCT_SYSCALL_NR(bind);

static __always_inline int bind_exit(void *ctx, int ret)
{
	u64 fd = bind_taken();

	return fd ? report(ctx, net_fd_sock((int)(fd - 1)), ret) : 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(inet_bind_raw, struct pt_regs *regs, long id)
{
	unsigned long args[6];

	if (!bcct_is_syscall(id, bcct_nr_bind) || !bcct_syscall_args(regs, args))
		return 0;
	return bind_enter((u64)(u32)args[0] + 1);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(inet_bind_ret_raw, struct pt_regs *regs, long ret)
{
	if (!bcct_is_syscall(bcct_syscall_exit_nr(regs), bcct_nr_bind) || !bcct_syscall_native(regs))
		return 0;
	return bind_exit(ctx, (int)ret);
}

SEC("tracepoint/syscalls/sys_enter_bind")
int inet_bind__enter_tp(struct trace_event_raw_sys_enter *ctx)
{
	return bind_enter((u64)(u32)ctx->args[0] + 1);
}

SEC("tracepoint/syscalls/sys_exit_bind")
int inet_bind_ret__exit_tp(struct trace_event_raw_sys_exit *ctx)
{
	return bind_exit(ctx, (int)ctx->ret);
}

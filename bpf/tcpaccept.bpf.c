/* tcpaccept: TCP connections returned by accept(), in the accepting task.
 *
 * As BCC: a kretprobe on inet_csk_accept, whose return value is the new socket. Without kprobes
 * the fallback is the return of the accept() and accept4() syscalls: the new fd, in the same
 * task, leads to the socket (fd -> file -> struct socket -> sock). The connection's
 * SYN_RECV -> ESTABLISHED change would give the addresses too, but it happens in softirq,
 * before any accept and in no particular task. Accepts that are no syscall (kernel_accept
 * callers such as NFS or DLM, io_uring) are not seen by the fallback. It runs on the raw syscall
 * exit hook (bpf/syscalls.bpf.h: released at once on Ctrl-C, where the two tracepoints took
 * 130 ms), else on the accept tracepoints. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "syscalls.bpf.h"
#include "tcpaccept.h"

const volatile __u16 target_family = 0;                  /* -4 / -6 */
const volatile __u16 target_lports[NET_MAX_PORTS];       /* -P, 0-terminated */

static __always_inline int accepted(void *ctx, const struct sock *sk)
{
	struct tcpaccept_event e;

	if (!sk || !bcct_filter_current())
		return 0;
	if (BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	net_tuple_from_sock(sk, &e.tuple);
	if ((e.tuple.family != AF_INET && e.tuple.family != AF_INET6) ||
	    !net_family_wanted(target_family, e.tuple.family) ||
	    !net_port_wanted(target_lports, e.tuple.sport))
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

SEC("kretprobe/inet_csk_accept")
int BPF_KRETPROBE(inet_csk_accept_kretprobe, struct sock *newsk)
{
	return accepted(ctx, newsk);
}

/* The fallback: the socket behind the fd the syscall returned. */
static __always_inline int accept_exit(struct bcct_sys_exit *ctx)
{
	return ctx->ret < 0 ? 0 : accepted(ctx, net_fd_sock(ctx->ret));
}

BCCT_SYSCALL_NR(accept);
BCCT_SYSCALL_NR(accept4);

SEC("raw_tp/sys_exit")
int BPF_PROG(inet_csk_accept_raw, struct pt_regs *regs, long ret)
{
	long id = bcct_syscall_exit_nr(regs);

	if ((bcct_is_syscall(id, bcct_nr_accept4) || bcct_is_syscall(id, bcct_nr_accept)) &&
	    ret >= 0 && bcct_syscall_native(regs))
		return accepted(ctx, net_fd_sock((int)ret));
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int inet_csk_accept__accept4_tp(struct bcct_sys_exit *ctx) { return accept_exit(ctx); }
SEC("tracepoint/syscalls/sys_exit_accept")
int inet_csk_accept__accept_tp(struct bcct_sys_exit *ctx) { return accept_exit(ctx); }

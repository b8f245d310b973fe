/* sockstat: socket calls counted, as the book's sockstat.bt: the accept, accept4, connect, bind,
 * socket and socketpair syscalls (the raw sys_enter hook, their tracepoints as its parts),
 * and kprobes on sock_recvmsg and security_socket_sendmsg (below: sock_sendmsg no longer sees
 * user sends); without kprobes, the sock:sock_recv_length and sock:sock_send_length tracepoints, where
 * every receive and send of a socket ends (read/write on sockets too; Linux 6.1+). */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "sockstat.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOCKSTAT_NR);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int count(u32 what)
{
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	n = bpf_map_lookup_elem(&counts, &what);
	if (n)
		*n += 1;
	return 0;
}

BCCT_SYSCALL_NR(accept);
BCCT_SYSCALL_NR(accept4);
BCCT_SYSCALL_NR(connect);
BCCT_SYSCALL_NR(bind);
BCCT_SYSCALL_NR(socket);
BCCT_SYSCALL_NR(socketpair);

/* One raw_tp program for the six syscalls (released at exit in a millisecond, where each
 * tracepoint takes 35-60 ms: bpf/syscalls.bpf.h); their tracepoints are its parts. */
SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	u32 what;

	if (bcct_is_syscall(id, bcct_nr_accept))
		what = SOCKSTAT_ACCEPT;
	else if (bcct_is_syscall(id, bcct_nr_accept4))
		what = SOCKSTAT_ACCEPT4;
	else if (bcct_is_syscall(id, bcct_nr_connect))
		what = SOCKSTAT_CONNECT;
	else if (bcct_is_syscall(id, bcct_nr_bind))
		what = SOCKSTAT_BIND;
	else if (bcct_is_syscall(id, bcct_nr_socket))
		what = SOCKSTAT_SOCKET;
	else if (bcct_is_syscall(id, bcct_nr_socketpair))
		what = SOCKSTAT_SOCKETPAIR;
	else
		return 0;
	return bcct_syscall_native(regs) ? count(what) : 0;
}

SEC("tracepoint/syscalls/sys_enter_accept")
int sys_enter__accept_tp(void *ctx) { return count(SOCKSTAT_ACCEPT); }
SEC("tracepoint/syscalls/sys_enter_accept4")
int sys_enter__accept4_tp(void *ctx) { return count(SOCKSTAT_ACCEPT4); }
SEC("tracepoint/syscalls/sys_enter_connect")
int sys_enter__connect_tp(void *ctx) { return count(SOCKSTAT_CONNECT); }
SEC("tracepoint/syscalls/sys_enter_bind")
int sys_enter__bind_tp(void *ctx) { return count(SOCKSTAT_BIND); }
SEC("tracepoint/syscalls/sys_enter_socket")
int sys_enter__socket_tp(void *ctx) { return count(SOCKSTAT_SOCKET); }
SEC("tracepoint/syscalls/sys_enter_socketpair")
int sys_enter__socketpair_tp(void *ctx) { return count(SOCKSTAT_SOCKETPAIR); }

SEC("kprobe/sock_recvmsg")
int BPF_KPROBE(recvmsg_kprobe) { return count(SOCKSTAT_RECVMSG); }
SEC("raw_tp/sock_recv_length")
int BPF_PROG(recvmsg_raw) { return count(SOCKSTAT_RECVMSG); }
SEC("tp_btf/sock_recv_length")
int BPF_PROG(recvmsg_btf) { return count(SOCKSTAT_RECVMSG); }
SEC("tracepoint/sock/sock_recv_length")
int recvmsg_tp(void *ctx) { return count(SOCKSTAT_RECVMSG); }
/* Not sock_sendmsg: since "net: prevent rewrite of msg_name in sock_sendmsg()" (6.6, and the
 * stable kernels from 6.1.57) the send syscalls and write(2) call __sock_sendmsg, mostly inlined,
 * and sock_sendmsg only serves in-kernel senders. Every send, from either, passes its security
 * check once, in security_socket_sendmsg. */
SEC("kprobe/security_socket_sendmsg")
int BPF_KPROBE(sendmsg_kprobe) { return count(SOCKSTAT_SENDMSG); }
SEC("raw_tp/sock_send_length")
int BPF_PROG(sendmsg_raw) { return count(SOCKSTAT_SENDMSG); }
SEC("tp_btf/sock_send_length")
int BPF_PROG(sendmsg_btf) { return count(SOCKSTAT_SENDMSG); }
SEC("tracepoint/sock/sock_send_length")
int sendmsg_tp(void *ctx) { return count(SOCKSTAT_SENDMSG); }

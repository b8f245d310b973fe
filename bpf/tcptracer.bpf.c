/* tcptracer: TCP connections as they are established (connect, accept) and closed.
 *
 * As BCC: a connect is reported when its socket becomes ESTABLISHED (tcp_set_state) under the
 * process that connected, remembered when the socket left CLOSE for SYN_SENT inside connect();
 * an accept when inet_csk_accept returns a socket (kretprobe) in the accepting process; a close
 * at tcp_close (fentry, else kprobe) in the closing process, unless the socket was never
 * established. Without kprobes: the state changes at sock:inet_sock_set_state; accepts at the
 * return of accept()/accept4() (the socket read from the new fd); closes as the change out of
 * ESTABLISHED or CLOSE_WAIT made inside close(), close_range(), dup2()/dup3() or an exit, so a
 * socket already shut down for writing before close() gives no close event. Only sockets with
 * both addresses and ports set are reported, as BCC. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "syscalls.bpf.h"
#include "ustack.bpf.h"
#include "tcptracer.h"

const volatile __u16 target_family = 0;                  /* -4 / -6 */
const volatile __u32 target_netns = 0;                   /* -N */
BCCT_SYSCALL_NR(connect);
BCCT_SYSCALL_NR(accept);
BCCT_SYSCALL_NR(accept4);
BCCT_SYSCALL_NR(close);
BCCT_SYSCALL_NR(close_range);
BCCT_SYSCALL_NR(dup2);
BCCT_SYSCALL_NR(dup3);
BCCT_SYSCALL_NR(exit);
BCCT_SYSCALL_NR(exit_group);

struct connector {
	u32 pid;
	char comm[16];
};

/* Sockets between connect() and ESTABLISHED, and who connected them (BCC's tuplepid). LRU: a
 * connect that never completes nor closes leaves nothing for good. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, struct connector);
} connecting SEC(".maps");

/* The tuple of sk if tcptracer reports it: both ends complete, the family and netns wanted. */
static __always_inline bool wanted_tuple(const struct sock *sk, struct net_tuple *t)
{
	net_tuple_from_sock(sk, t);
	t->netns = net_sock_netns(sk);
	if (t->family != AF_INET && t->family != AF_INET6)
		return false;
	if (!t->sport || !t->dport || !net_family_wanted(target_family, t->family))
		return false;
	if (target_netns && t->netns != target_netns)
		return false;
	/* BCC leaves out sockets with an unset address (IPv4 0.0.0.0, IPv6 ::). */
	for (int i = 0; i < (t->family == AF_INET ? 4 : 16); i++)
		if (t->saddr[i])
			goto saddr_set;
	return false;
saddr_set:
	for (int i = 0; i < (t->family == AF_INET ? 4 : 16); i++)
		if (t->daddr[i])
			return true;
	return false;
}

static __always_inline int report(void *ctx, const struct sock *sk, u32 type, u32 pid,
				  const char *comm)
{
	struct tcptracer_event e;

	__builtin_memset(&e, 0, sizeof(e));
	if (!wanted_tuple(sk, &e.tuple))
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.type = type;
	e.pid = pid;
	if (comm)
		__builtin_memcpy(e.comm, comm, sizeof(e.comm));
	else
		bpf_get_current_comm(e.comm, sizeof(e.comm));
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

static __always_inline int report_current(void *ctx, const struct sock *sk, u32 type)
{
	if (!bcct_filter_current())
		return 0;
	return report(ctx, sk, type, bpf_get_current_pid_tgid() >> 32, NULL);
}

/* A state change, however hooked. */
static __always_inline int state_change(void *ctx, const struct sock *sk, int oldstate,
					int newstate)
{
	u64 key = (u64)sk;
	struct connector c = {}, *p;

	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) {
		if (!bcct_filter_current())
			return 0;
		c.pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(c.comm, sizeof(c.comm));
		bpf_map_update_elem(&connecting, &key, &c, BPF_ANY);
	} else if (newstate == TCP_ESTABLISHED) {
		p = bpf_map_lookup_elem(&connecting, &key);
		if (!p)
			return 0;
		c = *p;
		bpf_map_delete_elem(&connecting, &key);
		return report(ctx, sk, TCPTRACER_CONNECT, c.pid, c.comm);
	} else if (newstate == TCP_CLOSE) {
		bpf_map_delete_elem(&connecting, &key);
	}
	return 0;
}

SEC("fentry/tcp_set_state")
int BPF_PROG(state_fentry, struct sock *sk, int state)
{
	return state_change(ctx, sk, BPF_CORE_READ(sk, __sk_common.skc_state), state);
}

SEC("kprobe/tcp_set_state")
int BPF_KPROBE(state_kprobe, struct sock *sk, int state)
{
	return state_change(ctx, sk, BPF_CORE_READ(sk, __sk_common.skc_state), state);
}

static __always_inline int state_changed(void *ctx, const struct net_state_change *c)
{
	if (c->protocol != IPPROTO_TCP)
		return 0;
	return state_change(ctx, c->sk, c->oldstate, c->newstate);
}

NET_SOCK_SET_STATE_PROGRAMS(state, state_changed)

/* Closes. */
static __always_inline int close_entry(void *ctx, const struct sock *sk)
{
	int state = BPF_CORE_READ(sk, __sk_common.skc_state);

	if (state == TCP_SYN_SENT || state == TCP_SYN_RECV || state == TCP_NEW_SYN_RECV)
		return 0;
	return report_current(ctx, sk, TCPTRACER_CLOSE);
}

SEC("fentry/tcp_close")
int BPF_PROG(close_fentry, struct sock *sk) { return close_entry(ctx, sk); }
SEC("kprobe/tcp_close")
int BPF_KPROBE(close_kprobe, struct sock *sk) { return close_entry(ctx, sk); }

/* The fallback: tcp_close's own change of an established connection, in a task closing it. */
static __always_inline bool in_close(void)
{
	long nr = bcct_current_syscall();

	return bcct_is_syscall(nr, bcct_nr_close) || bcct_is_syscall(nr, bcct_nr_close_range) ||
	       bcct_is_syscall(nr, bcct_nr_dup2) || bcct_is_syscall(nr, bcct_nr_dup3) ||
	       bcct_is_syscall(nr, bcct_nr_exit) || bcct_is_syscall(nr, bcct_nr_exit_group);
}

static __always_inline int close_changed(void *ctx, const struct net_state_change *c)
{
	if (c->protocol != IPPROTO_TCP || c->oldstate == c->newstate)
		return 0;
	if (c->oldstate != TCP_ESTABLISHED && c->oldstate != TCP_CLOSE_WAIT)
		return 0;
	if (c->newstate != TCP_FIN_WAIT1 && c->newstate != TCP_LAST_ACK && c->newstate != TCP_CLOSE)
		return 0;
	return in_close() ? report_current(ctx, c->sk, TCPTRACER_CLOSE) : 0;
}

NET_SOCK_SET_STATE_PROGRAMS(close, close_changed)

/* Accepts: inet_csk_accept's result (its arguments changed in 6.10: no fexit). */
SEC("kretprobe/inet_csk_accept")
int BPF_KRETPROBE(accept_kretprobe, struct sock *newsk)
{
	return newsk ? report_current(ctx, newsk, TCPTRACER_ACCEPT) : 0;
}

/* The fallback: accept()/accept4() returning a new fd, its socket. */
static __always_inline int accepted(void *ctx, long fd)
{
	const struct sock *sk = fd >= 0 ? net_fd_sock(fd) : NULL;

	return net_sock_is_tcp(sk) ? report_current(ctx, sk, TCPTRACER_ACCEPT) : 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(accept_raw, struct pt_regs *regs, long ret)
{
	long nr = bcct_syscall_exit_nr(regs);

	if ((!bcct_is_syscall(nr, bcct_nr_accept) && !bcct_is_syscall(nr, bcct_nr_accept4)) ||
	    !bcct_syscall_native(regs))
		return 0;
	return accepted(ctx, ret);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int accept__accept4_tp(struct bcct_sys_exit *ctx) { return accepted(ctx, ctx->ret); }
SEC("tracepoint/syscalls/sys_exit_accept")
int accept__accept_tp(struct bcct_sys_exit *ctx) { return accepted(ctx, ctx->ret); }

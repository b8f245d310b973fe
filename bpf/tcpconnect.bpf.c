/* tcpconnect: active TCP connects, printed (or counted, -c) when connect returns.
 *
 * As BCC: tcp_v4_connect/tcp_v6_connect entry remembers the socket per thread, their return
 * reports it when they succeeded (fentry/fexit, else kprobe/kretprobe). Without either the
 * fallback follows the connect() syscall: the socket's CLOSE -> SYN_SENT change
 * (sock:inet_sock_set_state, made inside tcp_v4_connect/tcp_v6_connect in the caller's context,
 * after the addresses are set) remembers it when the task is in connect() (its registers say
 * which syscall it entered), and the syscall's return (syscalls:sys_exit_connect) reports it
 * with the local port, assigned by then. tcp_v*_connect fails after SYN_SENT only when no local
 * port is left: the socket then returns to CLOSE with no port, and is forgotten. Connects that
 * do not go through connect() (TCP Fast Open's sendto, io_uring) are not seen by the fallback. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "syscalls.bpf.h"
#include "ustack.bpf.h"
#include "tcpconnect.h"

const volatile __u16 target_family = 0;                  /* -4 / -6 */
const volatile __u16 target_dports[NET_MAX_PORTS];       /* -P, 0-terminated */
const volatile bool count_only = false;                  /* -c */
BCCT_SYSCALL_NR(connect);

/* The socket a thread is connecting (BCC's currsock). LRU: a thread that dies in connect()
 * leaves nothing for good. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, const struct sock *);
} currsock SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct net_flow);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int connect_entry(const struct sock *sk)
{
	u32 tid = bpf_get_current_pid_tgid();

	if (bcct_filter_current())
		bpf_map_update_elem(&currsock, &tid, &sk, BPF_ANY);
	return 0;
}

/* connect's return: ok is whether tcp_v*_connect succeeded. */
static __always_inline int connect_return(void *ctx, bool ok)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = id;
	const struct sock **skp = bpf_map_lookup_elem(&currsock, &tid);
	struct tcpconnect_event e;
	const struct sock *sk;

	if (!skp)
		return 0;
	sk = *skp;
	bpf_map_delete_elem(&currsock, &tid);
	if (!ok)
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	net_tuple_from_sock(sk, &e.tuple);
	if (!net_port_wanted(target_dports, e.tuple.dport) ||
	    !net_family_wanted(target_family, e.tuple.family))
		return 0;
	if (count_only) {
		net_count_flow(&counts, &e.tuple, false);
		return 0;
	}
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = id >> 32;
	e.uid = bpf_get_current_uid_gid();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

SEC("fentry/tcp_v4_connect")
int BPF_PROG(connect_v4_entry_fentry, struct sock *sk) { return connect_entry(sk); }
SEC("kprobe/tcp_v4_connect")
int BPF_KPROBE(connect_v4_entry_kprobe, struct sock *sk) { return connect_entry(sk); }
SEC("fexit/tcp_v4_connect")
int BPF_PROG(connect_v4_return_fexit, struct sock *sk, struct sockaddr *uaddr, int addr_len, int ret)
{ return connect_return(ctx, ret == 0); }
SEC("kretprobe/tcp_v4_connect")
int BPF_KRETPROBE(connect_v4_return_kretprobe, int ret) { return connect_return(ctx, ret == 0); }

SEC("fentry/tcp_v6_connect")
int BPF_PROG(connect_v6_entry_fentry, struct sock *sk) { return connect_entry(sk); }
SEC("kprobe/tcp_v6_connect")
int BPF_KPROBE(connect_v6_entry_kprobe, struct sock *sk) { return connect_entry(sk); }
SEC("fexit/tcp_v6_connect")
int BPF_PROG(connect_v6_return_fexit, struct sock *sk, struct sockaddr *uaddr, int addr_len, int ret)
{ return connect_return(ctx, ret == 0); }
SEC("kretprobe/tcp_v6_connect")
int BPF_KRETPROBE(connect_v6_return_kretprobe, int ret) { return connect_return(ctx, ret == 0); }

/* The fallback, both families: the v4 probes' last candidates. */
SEC("tracepoint/syscalls/sys_exit_connect")
int connect_v4_return_tp(struct bcct_sys_exit *ctx)
{
	return connect_return(ctx, true);
}

/* Whether the current task is in connect(): the syscall number it entered the kernel with. */
static __always_inline bool in_connect(void)
{
	return bcct_is_syscall(bcct_current_syscall(), bcct_nr_connect);
}

static __always_inline int state_changed(void *ctx, const struct net_state_change *c)
{
	u32 tid = bpf_get_current_pid_tgid();
	const struct sock **skp;

	if (c->protocol != IPPROTO_TCP)
		return 0;
	if (c->oldstate == TCP_CLOSE && c->newstate == TCP_SYN_SENT)
		return in_connect() ? connect_entry(c->sk) : 0;
	/* No local port was left: tcp_v*_connect fails and returns the socket to CLOSE. */
	if (c->oldstate == TCP_SYN_SENT && c->newstate == TCP_CLOSE && !c->t.sport) {
		skp = bpf_map_lookup_elem(&currsock, &tid);
		if (skp && *skp == c->sk)
			bpf_map_delete_elem(&currsock, &tid);
	}
	return 0;
}

NET_SOCK_SET_STATE_PROGRAMS(connect_v4_entry, state_changed)

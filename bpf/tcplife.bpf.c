/* tcplife: TCP sessions with duration and bytes, from inet_sock_set_state.
 *
 * As BCC: the birth time is the last change to a state before FIN_WAIT1; at TCP_CLOSE the
 * session is printed with bytes from tcp_sock. The final transitions often run in softirq,
 * where `current` is any task, so the process is remembered when it acts in process context:
 * connect() (SYN_SENT), and close() (FIN_WAIT1 for the first closer, LAST_ACK for the second),
 * together with its filter verdict. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcplife.h"

const volatile __u16 target_family = 0;                  /* -4 / -6 */
const volatile __u16 target_lports[NET_MAX_PORTS];       /* -L, 0-terminated */
const volatile __u16 target_dports[NET_MAX_PORTS];       /* -D, 0-terminated */

struct ident {
	u32 pid;
	bool keep;                      /* the filters' verdict on that task */
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, const void *);
	__type(value, u64);
} birth SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, const void *);
	__type(value, struct ident);
} whoami SEC(".maps");

static __always_inline void remember_task(const struct sock *sk, u64 flags)
{
	struct ident me = { .pid = bpf_get_current_pid_tgid() >> 32 };

	me.keep = bcct_filter_current();
	bpf_get_current_comm(me.comm, sizeof(me.comm));
	bpf_map_update_elem(&whoami, &sk, &me, flags);
}

/* Fills *e and returns true when the session is to be printed. The event is built on the stack
 * and copied out with bcct_event_output(): a ring buffer reservation returned from here would be
 * NULL-checked twice, and the 5.10 verifier does not know that a checked reservation stays
 * non-NULL, so it sees a path that leaks it. */
static __always_inline bool on_state(const struct net_state_change *i, struct tcplife_event *e)
{
	const struct sock *sk = i->sk;
	struct ident *who;
	u64 *tsp, now;

	if (i->protocol != IPPROTO_TCP)
		return false;
	if (!net_family_wanted(target_family, i->t.family))
		return false;
	if (!net_port_wanted(target_lports, i->t.sport) ||
	    !net_port_wanted(target_dports, i->t.dport)) {
		bpf_map_delete_elem(&birth, &sk);
		return false;
	}
	now = bpf_ktime_get_ns();
	if (i->newstate < TCP_FIN_WAIT1)
		bpf_map_update_elem(&birth, &sk, &now, BPF_ANY);
	if (i->newstate == TCP_SYN_SENT)
		remember_task(sk, BPF_ANY);         /* a new life: overwrite anything stale */
	else if (i->newstate == TCP_FIN_WAIT1 || i->newstate == TCP_LAST_ACK)
		remember_task(sk, BPF_NOEXIST);
	if (i->newstate != TCP_CLOSE)
		return false;

	tsp = bpf_map_lookup_elem(&birth, &sk);
	who = bpf_map_lookup_elem(&whoami, &sk);
	if (!tsp || (who ? !who->keep : !bcct_filter_current()))
		goto out;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_us = now / 1000;
	e->span_us = (now - *tsp) / 1000;
	if (who) {
		e->pid = who->pid;
		__builtin_memcpy(e->comm, who->comm, sizeof(e->comm));
	} else {
		e->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
	}
	e->tuple = i->t;
	/* Throughput as tcp_get_info() reports it. */
	e->rx_b = BPF_CORE_READ((struct tcp_sock *)sk, bytes_received);
	e->tx_b = BPF_CORE_READ((struct tcp_sock *)sk, bytes_acked);
	bpf_map_delete_elem(&birth, &sk);
	bpf_map_delete_elem(&whoami, &sk);
	return true;
out:
	bpf_map_delete_elem(&birth, &sk);
	bpf_map_delete_elem(&whoami, &sk);
	return false;
}

static __always_inline int state_changed(void *ctx, const struct net_state_change *c)
{
	struct tcplife_event e;

	if (on_state(c, &e))
		bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

NET_SOCK_SET_STATE_PROGRAMS(inet_sock_set_state, state_changed)

/* tcpstates: every TCP state change with the time spent in the old state, from
 * sock:inet_sock_set_state, as BCC. The task is whichever is current (BCC's C-PID, C-COMM): the
 * owner for its own calls (connect, close), any task for changes made in softirq. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcpstates.h"

const volatile __u16 target_family = 0;                  /* -4 / -6 */
const volatile __u16 target_lports[NET_MAX_PORTS];       /* -L, 0-terminated */
const volatile __u16 target_dports[NET_MAX_PORTS];       /* -D, 0-terminated */

/* When each socket entered its current state. LRU: a socket freed without reaching TCP_CLOSE
 * (none should) cannot fill the map for good. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, const void *);
	__type(value, u64);
} last SEC(".maps");

static __always_inline int state_changed(void *ctx, const struct net_state_change *c)
{
	const struct sock *sk = c->sk;
	struct tcpstates_event e;
	u64 now, *tsp;

	if (c->protocol != IPPROTO_TCP)
		return 0;
	/* As BCC: a socket outside the port lists is forgotten, one of another family kept. */
	if (!net_port_wanted(target_lports, c->t.sport) ||
	    !net_port_wanted(target_dports, c->t.dport)) {
		bpf_map_delete_elem(&last, &sk);
		return 0;
	}
	if (!net_family_wanted(target_family, c->t.family))
		return 0;
	now = bpf_ktime_get_ns();
	if (bcct_filter_current()) {
		__builtin_memset(&e, 0, sizeof(e));
		tsp = bpf_map_lookup_elem(&last, &sk);
		e.span_us = tsp ? (now - *tsp) / 1000 : 0;
		e.ts_ns = now;
		e.skaddr = (u64)sk;
		e.pid = bpf_get_current_pid_tgid() >> 32;
		e.oldstate = c->oldstate;
		e.newstate = c->newstate;
		e.tuple = c->t;
		bpf_get_current_comm(e.comm, sizeof(e.comm));
		bcct_event_output(ctx, &e, sizeof(e));
	}
	if (c->newstate == TCP_CLOSE)
		bpf_map_delete_elem(&last, &sk);
	else
		bpf_map_update_elem(&last, &sk, &now, BPF_ANY);
	return 0;
}

NET_SOCK_SET_STATE_PROGRAMS(inet_sock_set_state, state_changed)

/* tcpconnlat: active TCP connect latency, from sock:inet_sock_set_state: CLOSE -> SYN_SENT
 * (inside tcp_v4_connect/tcp_v6_connect, in the connecting task: its pid and comm) to
 * SYN_SENT -> ESTABLISHED (the SYN-ACK's processing). BCC times from the tcp_v*_connect kprobe
 * to tcp_rcv_state_process in SYN_SENT: the same handshake, a route lookup and a state change
 * apart. Any other way out of SYN_SENT (refused, timed out) forgets the socket. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcpconnlat.h"

const volatile __u16 target_family = 0;         /* -4 / -6 */
const volatile __u64 min_us = 0;                /* duration_ms */

struct start {
	u64 ts;
	u32 pid;
	char comm[16];
};

/* LRU: a socket freed in SYN_SENT without a state change (none should be) cannot fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, const void *);
	__type(value, struct start);
} start SEC(".maps");

static __always_inline int state_changed(void *ctx, const struct net_state_change *c)
{
	const struct sock *sk = c->sk;
	struct tcpconnlat_event e;
	struct start s, *sp;
	u64 now;

	if (c->protocol != IPPROTO_TCP || !net_family_wanted(target_family, c->t.family))
		return 0;
	if (c->newstate == TCP_SYN_SENT) {
		if (!bcct_filter_current())
			return 0;
		s.ts = bpf_ktime_get_ns();
		s.pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(s.comm, sizeof(s.comm));
		bpf_map_update_elem(&start, &sk, &s, BPF_ANY);
		return 0;
	}
	if (c->oldstate != TCP_SYN_SENT)
		return 0;
	sp = bpf_map_lookup_elem(&start, &sk);
	if (!sp)
		return 0;
	now = bpf_ktime_get_ns();
	if (c->newstate == TCP_ESTABLISHED && (now - sp->ts) / 1000 >= min_us) {
		__builtin_memset(&e, 0, sizeof(e));
		e.ts_ns = now;
		e.delta_us = (now - sp->ts) / 1000;
		e.pid = sp->pid;
		__builtin_memcpy(e.comm, sp->comm, sizeof(e.comm));
		e.tuple = c->t;
		bcct_event_output(ctx, &e, sizeof(e));
	}
	bpf_map_delete_elem(&start, &sk);
	return 0;
}

NET_SOCK_SET_STATE_PROGRAMS(inet_sock_set_state, state_changed)

/* tcpcong: time each TCP flow spends in each congestion-control state (open, disorder, cwr,
 * recovery, loss), as BCC's tcpcong on kernels with the tcp:tcp_cong_state_set tracepoint
 * (5.18+), which BCC prefers there too: at each change the time since the flow's previous
 * change is added to the state it leaves (or, -d, to that state's histogram). A flow's first
 * change seen only starts its clock. BCC's kprobes for older kernels (entry and return of
 * tcp_fastretrans_alert, tcp_enter_cwr, tcp_enter_loss, ...) are not carried: there the tool
 * says the tracepoint is missing. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcpcong.h"

const volatile __u16 lport_min = 0, lport_max = 0;      /* -L, 0: any */
const volatile __u16 rport_min = 0, rport_max = 0;      /* -R */
const volatile bool dist = false;                       /* -d */
const volatile bool microseconds = false;               /* -u: the histograms' unit */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct net_flow);
	__type(value, struct tcpcong_stat);
} stats SEC(".maps");

/* -d: key the state left. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCPCONG_STATES);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline int state_set(const struct sock *sk, u32 state)
{
	struct net_flow key;
	struct tcpcong_stat *s, init = {};
	struct net_tuple t = {};
	u64 now = bpf_ktime_get_ns(), us;
	u32 left;

	net_tuple_from_sock(sk, &t);
	if ((t.family != AF_INET && t.family != AF_INET6) ||
	    (lport_max && (t.sport < lport_min || t.sport > lport_max)) ||
	    (rport_max && (t.dport < rport_min || t.dport > rport_max)))
		return 0;
	net_flow_from_tuple(&key, &t, true);
	s = bpf_map_lookup_elem(&stats, &key);
	if (!s) {
		init.last_ns = now;
		init.state = state;
		bpf_map_update_elem(&stats, &key, &init, BPF_ANY);
		return 0;
	}
	if (s->state == state)
		return 0;
	left = s->state;
	us = (now - s->last_ns) / 1000;
	s->last_ns = now;
	s->state = state;
	if (left >= TCPCONG_STATES)
		return 0;
	if (dist) {
		bcct_hist_add_log2(&hists, &left, microseconds ? us : us / 1000);
		return 0;
	}
	__sync_fetch_and_add(&s->changes, 1);
	barrier_var(left);      /* bound again where it indexes (as bcct_hist_inc does) */
	if (left < TCPCONG_STATES)
		__sync_fetch_and_add(&s->us[left], us);
	return 0;
}

SEC("raw_tp/tcp_cong_state_set")
int BPF_PROG(cong_state_raw, struct sock *sk, u8 state) { return state_set(sk, state); }
SEC("tp_btf/tcp_cong_state_set")
int BPF_PROG(cong_state_btf, struct sock *sk, u8 state) { return state_set(sk, state); }
SEC("tracepoint/tcp/tcp_cong_state_set")
int cong_state_tp(struct trace_event_raw_tcp_cong_state_set *ctx)
{
	return state_set(ctx->skaddr, ctx->cong_state);
}

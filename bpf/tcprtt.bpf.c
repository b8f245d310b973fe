/* tcprtt: histograms of TCP's smoothed round-trip time (srtt), sampled at every segment an
 * established connection receives, as BCC: tcp_rcv_established entry (fentry, else kprobe),
 * srtt_us >> 3 read from the socket. Without either, tcp:tcp_probe, which the kernel fires at
 * the start of tcp_rcv_established with the same socket (raw_tp/tp_btf read it the same way; the
 * classic tracepoint's record carries srtt and the tuple itself). */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "tcprtt.h"

const volatile __u16 target_family = 0;                  /* -4 / -6 */
const volatile __u16 target_lport = 0, target_rport = 0; /* -p / -P, host order */
const volatile bool filter_laddr = false, filter_raddr = false;
const volatile unsigned char target_laddr[16] = {}, target_raddr[16] = {};   /* -a / -A */
const volatile __u16 target_laddr_family = 0, target_raddr_family = 0;
const volatile bool milliseconds = false;               /* -m */
const volatile __u32 split_by = TCPRTT_ALL;             /* -b / -B */
const volatile bool extension = false;                  /* -e */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct tcprtt_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct tcprtt_key);
	__type(value, struct tcprtt_total);
} totals SEC(".maps");

static const struct tcprtt_total zero_total;

static __always_inline bool same_addr(const unsigned char *a, const volatile unsigned char *b,
				      int family)
{
	for (int i = 0; i < (family == AF_INET ? 4 : 16); i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static __always_inline int sample(const struct net_tuple *t, u64 srtt)
{
	struct tcprtt_key key;
	struct tcprtt_total *tot;

	if (!net_family_wanted(target_family, t->family) ||
	    (target_lport && t->sport != target_lport) || (target_rport && t->dport != target_rport))
		return 0;
	if (filter_laddr && (t->family != target_laddr_family ||
			     !same_addr(t->saddr, target_laddr, t->family)))
		return 0;
	if (filter_raddr && (t->family != target_raddr_family ||
			     !same_addr(t->daddr, target_raddr, t->family)))
		return 0;
	if (milliseconds)
		srtt /= 1000;
	__builtin_memset(&key, 0, sizeof(key));
	if (split_by != TCPRTT_ALL) {
		key.family = t->family;
		__builtin_memcpy(key.addr, split_by == TCPRTT_LADDR ? t->saddr : t->daddr,
				 sizeof(key.addr));
	}
	bcct_hist_add_log2(&hists, &key, srtt);
	if (extension) {
		tot = bcct_lookup_or_init(&totals, &key, &zero_total);
		if (tot) {
			__sync_fetch_and_add(&tot->sum, srtt);
			__sync_fetch_and_add(&tot->count, 1);
		}
	}
	return 0;
}

static __always_inline int sock_sample(const struct sock *sk)
{
	struct net_tuple t = {};

	net_tuple_from_sock(sk, &t);
	return sample(&t, BPF_CORE_READ((const struct tcp_sock *)sk, srtt_us) >> 3);
}

SEC("fentry/tcp_rcv_established")
int BPF_PROG(rcv_fentry, struct sock *sk) { return sock_sample(sk); }
SEC("kprobe/tcp_rcv_established")
int BPF_KPROBE(rcv_kprobe, struct sock *sk) { return sock_sample(sk); }
SEC("raw_tp/tcp_probe")
int BPF_PROG(rcv_raw, struct sock *sk) { return sock_sample(sk); }
SEC("tp_btf/tcp_probe")
int BPF_PROG(rcv_btf, struct sock *sk) { return sock_sample(sk); }

/* The classic record: ports in host order, addresses as a struct sockaddr_in (address at
 * offset 4) or sockaddr_in6 (offset 8), srtt already shifted. */
SEC("tracepoint/tcp/tcp_probe")
int rcv_tp(struct trace_event_raw_tcp_probe *ctx)
{
	struct net_tuple t = {};

	t.family = ctx->family;
	t.sport = ctx->sport;
	t.dport = ctx->dport;
	if (t.family == AF_INET) {
		bpf_core_read(t.saddr, 4, &ctx->saddr[4]);
		bpf_core_read(t.daddr, 4, &ctx->daddr[4]);
	} else if (t.family == AF_INET6) {
		bpf_core_read(t.saddr, 16, &ctx->saddr[8]);
		bpf_core_read(t.daddr, 16, &ctx->daddr[8]);
	} else {
		return 0;
	}
	return sample(&t, ctx->srtt);
}

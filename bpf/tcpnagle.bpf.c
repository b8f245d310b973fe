/* tcpnagle: how tcp_write_xmit is asked to send (its nonagle argument: Nagle on, off, corked,
 * pushed) and how long a socket's transmits stay held back, as the book's tcpnagle.bt. Only a
 * kprobe and a kretprobe on tcp_write_xmit can see this: no tracepoint fires there, so without
 * kprobes the tool refuses. */
#include "bcct.bpf.h"
#include "tcpnagle.h"

/* nonagle value -> calls */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} nagle SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bcct_hist);
} blocked SEC(".maps");

/* the socket in tcp_write_xmit per thread */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} xmit_sk SEC(".maps");

/* when a socket's transmit was first held back */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, u64);
} held_since SEC(".maps");

SEC("kprobe/tcp_write_xmit")
int BPF_KPROBE(write_xmit_kprobe, struct sock *sk, unsigned int mss_now, int nonagle)
{
	u32 tid = (u32)bpf_get_current_pid_tgid(), key = nonagle & 0xff;
	static const u64 zero;
	u64 skp = (u64)sk, *n;

	if (!bcct_filter_current())
		return 0;
	n = bcct_lookup_or_init(&nagle, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	bpf_map_update_elem(&xmit_sk, &tid, &skp, BPF_ANY);
	return 0;
}

SEC("kretprobe/tcp_write_xmit")
int BPF_KRETPROBE(write_xmit_ret_kretprobe, long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid(), key = TCPNAGLE_BLOCKED;
	u64 *p = bpf_map_lookup_elem(&xmit_sk, &tid), sk, now = bpf_ktime_get_ns(), *since;

	if (!p)
		return 0;
	sk = *p;
	bpf_map_delete_elem(&xmit_sk, &tid);
	since = bpf_map_lookup_elem(&held_since, &sk);
	if (ret & 0xff) {             /* held back: packets in flight and nothing sent */
		if (!since)
			bpf_map_update_elem(&held_since, &sk, &now, BPF_ANY);
	} else if (since) {
		bcct_hist_add_log2(&blocked, &key, (now - *since) / 1000);
		bpf_map_delete_elem(&held_since, &sk);
	}
	return 0;
}

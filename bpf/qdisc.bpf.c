/* qdisc: how long packets wait in a queueing discipline of one kind, from enqueue to dequeue, as
 * the book's qdisc-fq.bt and its siblings (qdisc-cbq, -cbs, -codel, -fq_codel, -red, -tbf), with
 * the discipline given as an argument. The book's probes where the kernel allows: a kprobe on
 * <kind>_enqueue and a kretprobe on <kind>_dequeue (fq_enqueue/fq_dequeue, tbf_enqueue/
 * tbf_dequeue, ...; attached by the applet, the names being the argument's); otherwise the
 * qdisc:qdisc_enqueue and qdisc:qdisc_dequeue tracepoints (Linux 5.16+), filtered on the
 * discipline's kind: they fire around the root discipline's enqueue and dequeue calls, so the
 * classes inside a classful discipline are not timed apart. */
#include "bcct.bpf.h"

const volatile char kind[16];        /* the discipline's ops->id: "fq", "tbf", ... */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, u64);
	__type(value, u64);
} enqueued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline bool kind_wanted(const struct Qdisc *q)
{
	const struct Qdisc_ops *ops = BPF_CORE_READ(q, ops);
	char id[16] = {};

	bpf_core_read_str(id, sizeof(id), &ops->id);
	for (int i = 0; i < sizeof(id); i++) {
		if (id[i] != kind[i])
			return false;
		if (!id[i])
			break;
	}
	return true;
}

static __always_inline int enqueue(const struct sk_buff *skb)
{
	u64 key = (u64)skb, now = bpf_ktime_get_ns();

	bpf_map_update_elem(&enqueued, &key, &now, BPF_ANY);
	return 0;
}

static __always_inline int dequeue(const struct sk_buff *skb)
{
	u64 key = (u64)skb, *start;
	u32 zero = 0;

	if (!skb)
		return 0;
	start = bpf_map_lookup_elem(&enqueued, &key);
	if (!start)
		return 0;
	bcct_hist_add_log2(&hists, &zero, (bpf_ktime_get_ns() - *start) / 1000);
	bpf_map_delete_elem(&enqueued, &key);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(kind_enqueue, struct sk_buff *skb) { return enqueue(skb); }
SEC("kretprobe")
int BPF_KRETPROBE(kind_dequeue, struct sk_buff *skb) { return dequeue(skb); }

SEC("raw_tp/qdisc_enqueue")
int BPF_PROG(enqueue_raw, struct Qdisc *q, const struct netdev_queue *txq, struct sk_buff *skb)
{
	return kind_wanted(q) ? enqueue(skb) : 0;
}

SEC("raw_tp/qdisc_dequeue")
int BPF_PROG(dequeue_raw, struct Qdisc *q, const struct netdev_queue *txq, int packets,
	     struct sk_buff *skb)
{
	return kind_wanted(q) ? dequeue(skb) : 0;
}

/* iosched: time requests spend in the I/O scheduler, from block_rq_insert to block_rq_issue, a
 * log2 histogram of microseconds per scheduler (elevator) name, as the book's iosched.bt (which
 * put kprobes on __elv_add_request and blk_start_request/blk_mq_start_request). Requests of a
 * queue without an elevator ("none") are not counted. Only programs that see the request can
 * name its queue's elevator: tp_btf, raw_tp. */
#include "bcct.bpf.h"
#include "block.bpf.h"

#define IOSCHED_NAME_LEN 16   /* ELV_NAME_MAX */

struct iosched_key {
	char name[IOSCHED_NAME_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct iosched_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, u64);
} start SEC(".maps");

static __always_inline int insert(struct request *rq)
{
	u64 id = (u64)rq, now = bpf_ktime_get_ns();

	/* Without an elevator ("none") block_rq_insert still fires for requests put on the
	 * software queues (a plug flushed from the scheduler, a busy device): they wait in no
	 * scheduler, so they are not counted. */
	if (!BPF_CORE_READ(rq, q, elevator) || !block_dev_wanted(rq_devt(rq)))
		return 0;
	bpf_map_update_elem(&start, &id, &now, BPF_ANY);
	return 0;
}

static __always_inline int issue(struct request *rq)
{
	u64 id = (u64)rq, *ts = bpf_map_lookup_elem(&start, &id);
	struct iosched_key k = {};
	const char *name;

	if (!ts)
		return 0;
	name = BPF_CORE_READ(rq, q, elevator, type, elevator_name);
	bpf_probe_read_kernel_str(k.name, sizeof(k.name), name);
	bcct_hist_add_log2(&hists, &k, (bpf_ktime_get_ns() - *ts) / 1000);
	bpf_map_delete_elem(&start, &id);
	return 0;
}

SEC("tp_btf/block_rq_insert")
int block_rq_insert_btf(u64 *ctx) { return insert(rq_arg(ctx)); }
SEC("raw_tp/block_rq_insert")
int block_rq_insert_raw(u64 *ctx) { return insert(rq_arg(ctx)); }
SEC("tp_btf/block_rq_issue")
int block_rq_issue_btf(u64 *ctx) { return issue(rq_arg(ctx)); }
SEC("raw_tp/block_rq_issue")
int block_rq_issue_raw(u64 *ctx) { return issue(rq_arg(ctx)); }

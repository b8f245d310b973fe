/* seeksize: the seek distance each block request asks of its disk, in sectors from where the
 * disk's previous request ended, a log2 histogram per process name, at block_rq_issue as the
 * book's seeksize.bt (the task current at issue, as bitesize's). */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "bitesize.h"   /* the same key: one histogram per process name */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct bitesize_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* Where each disk's last issued request ended (sector); 0: none seen yet. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u64);
} last SEC(".maps");

static __always_inline int issue(u32 dev, u64 sector, u32 nr_sector)
{
	u64 *prev = bpf_map_lookup_elem(&last, &dev), end = sector + nr_sector;

	if (!block_dev_wanted(dev))
		return 0;
	/* Every request moves the disk, whoever asked: the filter only picks what is counted. */
	if (prev && *prev && bcct_filter_current()) {
		struct bitesize_key k = {};
		u64 dist = sector > *prev ? sector - *prev : *prev - sector;

		bpf_get_current_comm(&k.comm, sizeof(k.comm));
		bcct_hist_add_log2(&hists, &k, dist);
	}
	bpf_map_update_elem(&last, &dev, &end, BPF_ANY);
	return 0;
}

static __always_inline int issue_rq(struct request *rq)
{
	return issue(rq_devt(rq), BPF_CORE_READ(rq, __sector), BPF_CORE_READ(rq, __data_len) >> 9);
}

SEC("tp_btf/block_rq_issue")
int block_rq_issue_btf(u64 *ctx) { return issue_rq(rq_arg(ctx)); }
SEC("raw_tp/block_rq_issue")
int block_rq_issue_raw(u64 *ctx) { return issue_rq(rq_arg(ctx)); }
SEC("tracepoint/block/block_rq_issue")
int block_rq_issue_tp(struct trace_event_raw_block_rq *ctx)
{
	return issue(ctx->dev, ctx->sector, ctx->nr_sector);
}

/* bitesize: block request sizes at issue, a log2 histogram of Kbytes per process name: the task
 * current at block_rq_issue, as BCC's tracepoint records it (often the task that asked for the
 * I/O; a kernel worker for writeback and plugged requests). */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "bitesize.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct bitesize_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline int count(u32 dev, u64 bytes)
{
	struct bitesize_key k = {};

	if (!block_dev_wanted(dev) || !bcct_filter_current())
		return 0;
	bpf_get_current_comm(&k.comm, sizeof(k.comm));
	bcct_hist_add_log2(&hists, &k, bytes / 1024);
	return 0;
}

static __always_inline int count_rq(struct request *rq)
{
	return count(rq_devt(rq), BPF_CORE_READ(rq, __data_len));
}

SEC("tp_btf/block_rq_issue")
int block_rq_issue_btf(u64 *ctx) { return count_rq(rq_arg(ctx)); }
SEC("raw_tp/block_rq_issue")
int block_rq_issue_raw(u64 *ctx) { return count_rq(rq_arg(ctx)); }
SEC("tracepoint/block/block_rq_issue")
int block_rq_issue_tp(struct trace_event_raw_block_rq *ctx)
{
	return count(ctx->dev, ctx->bytes);
}

/* biolatency: block I/O latency, issue (or insertion with -Q) to completion, as a log2 histogram.
 * Requests are keyed as bpf/block.bpf.h says. */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "hist_ext.bpf.h"
#include "biolatency.h"

const volatile bool targ_queued = false;    /* -Q */
const volatile bool targ_ms = false;        /* -m */
const volatile bool per_disk = false;       /* -D */
const volatile bool per_flag = false;       /* -F */

/* cmd_flags bits as BCC names them; the same positions in every kernel since 4.10. */
#define REQ_SYNC	(1u << 11)
#define REQ_META	(1u << 12)
#define REQ_FUA		(1u << 17)
#define REQ_PREFLUSH	(1u << 18)
#define REQ_RAHEAD	(1u << 19)
#define OP_WRITE	1
#define OP_READ		0
#define OP_FLUSH	2
#define OP_DISCARD	3
#define OP_SECURE_ERASE	5
#define OP_OTHER	4           /* not in BCC's list: printed "Unknown" */

struct start_val {
	u64 ts;
	u32 dev;
	u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct block_rq_key);
	__type(value, struct start_val);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct biolatency_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* ---- recording -------------------------------------------------------------------------- */

/* With -Q the insertion starts the clock and the issue only fills in requests never inserted. */
static __always_inline int record_start(struct block_rq_key *k, u32 dev, u32 flags, bool issue)
{
	struct start_val v = { .ts = bpf_ktime_get_ns(), .dev = dev, .flags = flags };

	if (!block_dev_wanted(dev))
		return 0;
	bpf_map_update_elem(&start, k, &v, issue && targ_queued ? BPF_NOEXIST : BPF_ANY);
	return 0;
}

static __always_inline int start_rq(struct request *rq, bool issue)
{
	struct block_rq_key k = rq_key(rq);

	if (!issue && !targ_queued)
		return 0;
	return record_start(&k, rq_devt(rq), BPF_CORE_READ(rq, cmd_flags), issue);
}

/* rq is NULL for classic tracepoints: no disk name then, user space maps dev to one. */
static __always_inline int complete(struct block_rq_key *k, struct request *rq)
{
	struct biolatency_key hkey = {};
	struct start_val *v;
	u64 delta;

	v = bpf_map_lookup_elem(&start, k);
	if (!v)
		return 0;
	delta = bpf_ktime_get_ns() - v->ts;
	if (per_disk) {
		hkey.dev = v->dev;
		if (rq)
			BPF_CORE_READ_STR_INTO(&hkey.disk, rq_disk(rq), disk_name);
	}
	if (per_flag)
		hkey.flags = v->flags;
	bpf_map_delete_elem(&start, k);
	if ((s64)delta < 0)
		return 0;
	delta /= targ_ms ? 1000000 : 1000;
	bcct_hist_add_log2(&hists, &hkey, delta);
	hist_ext_add(delta);
	return 0;
}

static __always_inline int complete_rq(struct request *rq)
{
	struct block_rq_key k = rq_key(rq);

	return complete(&k, rq);
}

/* ---- classic tracepoints: (dev, sector) and the rwbs letters ---------------------------- */

static __always_inline bool is_op_letter(char c)
{
	return c == 'W' || c == 'R' || c == 'D' || c == 'N' || c == 'F';
}

/*
 * cmd_flags rebuilt from the rwbs letters (blk_fill_rwbs): an optional 'F' (preflush), the
 * operation (W, R, D, DE, F for a flush, N), then F (FUA), A (readahead), S (sync), M (meta).
 * Only these flags survive into rwbs, so -F sections are coarser than from a struct request.
 */
static __always_inline u32 rwbs_flags(const char *rwbs)
{
	bool preflush = rwbs[0] == 'F' && is_op_letter(rwbs[1]);
	char op = preflush ? rwbs[1] : rwbs[0], next = preflush ? rwbs[2] : rwbs[1];
	int op_at = preflush ? 1 : 0;
	u32 flags;

	flags = op == 'W' ? OP_WRITE : op == 'R' ? OP_READ : op == 'F' ? OP_FLUSH :
		op == 'D' ? (next == 'E' ? OP_SECURE_ERASE : OP_DISCARD) : OP_OTHER;
	if (preflush)
		flags |= REQ_PREFLUSH;
#pragma unroll
	for (int i = 1; i < 8; i++) {
		if (i <= op_at)
			continue;
		if (!rwbs[i])
			break;
		if (rwbs[i] == 'F')
			flags |= REQ_FUA;
		else if (rwbs[i] == 'A')
			flags |= REQ_RAHEAD;
		else if (rwbs[i] == 'S')
			flags |= REQ_SYNC;
		else if (rwbs[i] == 'M')
			flags |= REQ_META;
	}
	return flags;
}

static __always_inline int start_tp(struct trace_event_raw_block_rq *ctx, bool issue)
{
	struct block_rq_key k = tp_key(ctx->dev, ctx->sector);
	char rwbs[BLOCK_RWBS_LEN];

	if (!issue && !targ_queued)
		return 0;
	tp_rwbs(ctx, rwbs);
	return record_start(&k, ctx->dev, rwbs_flags(rwbs), issue);
}

static __always_inline int complete_tp(struct block_rq_complete_record *ctx)
{
	struct block_rq_key k = tp_key(ctx->dev, ctx->sector);

	return complete(&k, NULL);
}

/* ---- programs --------------------------------------------------------------------------- */

SEC("tp_btf/block_rq_insert")
int block_rq_insert_btf(u64 *ctx) { return start_rq(rq_arg(ctx), false); }
SEC("raw_tp/block_rq_insert")
int block_rq_insert_raw(u64 *ctx) { return start_rq(rq_arg(ctx), false); }
SEC("tracepoint/block/block_rq_insert")
int block_rq_insert_tp(struct trace_event_raw_block_rq *ctx) { return start_tp(ctx, false); }

SEC("tp_btf/block_rq_issue")
int block_rq_issue_btf(u64 *ctx) { return start_rq(rq_arg(ctx), true); }
SEC("raw_tp/block_rq_issue")
int block_rq_issue_raw(u64 *ctx) { return start_rq(rq_arg(ctx), true); }
SEC("tracepoint/block/block_rq_issue")
int block_rq_issue_tp(struct trace_event_raw_block_rq *ctx) { return start_tp(ctx, true); }

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete_btf, struct request *rq) { return complete_rq(rq); }
SEC("raw_tp/block_rq_complete")
int BPF_PROG(block_rq_complete_raw, struct request *rq) { return complete_rq(rq); }
SEC("tracepoint/block/block_rq_complete")
int block_rq_complete_tp(struct block_rq_complete_record *ctx) { return complete_tp(ctx); }

/* biosnoop: one event per block I/O with the task that started it, its disk, sector, size and
 * latency. Requests are keyed as bpf/block.bpf.h says. */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "biosnoop.h"

const volatile bool targ_queued = false;    /* -Q */
const volatile bool targ_pattern = false;   /* -P */

#define REQ_OP_MASK	0xff
#define REQ_OP_WRITE	1

/* Who started the request, and when (queue time starts there). */
struct who {
	u64 ts;
	u32 pid;
	u32 from_io_start;      /* seen at block_io_start, the most precise point */
	char comm[16];
	u32 keep;               /* the issuing task passes --comm/--cgroup */
};

struct issue {
	u64 ts;
	u32 len;
	u32 dev;
	u32 write;
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct block_rq_key);
	__type(value, struct who);
} infobyreq SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct block_rq_key);
	__type(value, struct issue);
} start SEC(".maps");

/* -P: where the last I/O of each disk ended. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u64);
} last_sector SEC(".maps");

/* ---- the three stages ------------------------------------------------------------------- */

/*
 * The issuing task is the one current when the request is started: block_io_start (6.5+)
 * names it and always wins; before 6.5 the insertion does, and a request issued directly
 * without insertion is attributed at issue.
 */
static __always_inline int record_who(struct block_rq_key *k, u32 dev, bool io_start, bool issue)
{
	struct who w = { .ts = bpf_ktime_get_ns(), .from_io_start = io_start };
	struct who *old;

	if (!block_dev_wanted(dev))
		return 0;
	old = bpf_map_lookup_elem(&infobyreq, k);
	if (old && (issue || old->from_io_start) && !io_start)
		return 0;
	w.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&w.comm, sizeof(w.comm));
	w.keep = bcct_filter_current();
	bpf_map_update_elem(&infobyreq, k, &w, BPF_ANY);
	return 0;
}

static __always_inline int record_issue(struct block_rq_key *k, u32 dev, u32 len, bool write)
{
	struct issue i = { .ts = bpf_ktime_get_ns(), .len = len, .dev = dev, .write = write };

	if (!block_dev_wanted(dev))
		return 0;
	record_who(k, dev, false, true);
	bpf_map_update_elem(&start, k, &i, BPF_ANY);
	return 0;
}

static __always_inline char pattern(u32 dev, u64 sector, u32 len)
{
	u64 *last = bpf_map_lookup_elem(&last_sector, &dev), end = sector + len / 512;
	char p = last ? (*last == sector ? 'S' : 'R') : '?';

	bpf_map_update_elem(&last_sector, &dev, &end, BPF_ANY);
	return p;
}

/* rq is NULL for classic tracepoints: no disk name then, user space maps dev to one. */
static __always_inline int complete(void *ctx, struct block_rq_key *k, u64 sector, struct request *rq)
{
	struct biosnoop_event *e;
	struct issue *i;
	struct who *w;
	u64 ts = bpf_ktime_get_ns();

	i = bpf_map_lookup_elem(&start, k);
	if (!i)
		return 0;   /* issued before we started */
	w = bpf_map_lookup_elem(&infobyreq, k);
	/* --comm/--cgroup select the task the COMM column names; unattributed I/O has none. */
	if ((bcct_filter.has_comm || bcct_filter.has_cgroup) && (!w || !w->keep))
		goto out;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		goto out;
	e->ts = ts;
	e->delta = ts - i->ts;
	e->qdelta = 0;
	e->sector = sector;
	e->len = i->len;
	e->dev = i->dev;
	e->rwflag = i->write ? 'W' : 'R';
	e->pattern = targ_pattern ? pattern(i->dev, sector, i->len) : 0;
	e->disk[0] = 0;
	if (rq)
		BPF_CORE_READ_STR_INTO(&e->disk, rq_disk(rq), disk_name);
	if (w) {
		e->pid = w->pid;
		__builtin_memcpy(e->comm, w->comm, sizeof(e->comm));
		if (targ_queued && i->ts > w->ts)
			e->qdelta = i->ts - w->ts;
	} else {
		e->pid = 0;
		__builtin_memcpy(e->comm, "?", 2);
	}
	bcct_event_submit(ctx, e, sizeof(*e));
out:
	bpf_map_delete_elem(&start, k);
	bpf_map_delete_elem(&infobyreq, k);
	return 0;
}

static __always_inline int who_rq(struct request *rq, bool io_start)
{
	struct block_rq_key k = rq_key(rq);

	return record_who(&k, rq_devt(rq), io_start, false);
}

static __always_inline int issue_rq(struct request *rq)
{
	struct block_rq_key k = rq_key(rq);
	u32 op = BPF_CORE_READ(rq, cmd_flags) & REQ_OP_MASK;

	return record_issue(&k, rq_devt(rq), BPF_CORE_READ(rq, __data_len),
			    op == REQ_OP_WRITE);
}

static __always_inline int complete_rq(void *ctx, struct request *rq)
{
	struct block_rq_key k = rq_key(rq);

	return complete(ctx, &k, BPF_CORE_READ(rq, __sector), rq);
}

/* ---- classic tracepoints ---------------------------------------------------------------- */

static __always_inline bool rwbs_write(const char *rwbs)
{
	/* blk_fill_rwbs: an optional 'F' (preflush), then the operation letter */
	return rwbs[0] == 'W' || (rwbs[0] == 'F' && rwbs[1] == 'W');
}

static __always_inline int who_tp(struct trace_event_raw_block_rq *ctx, bool io_start)
{
	struct block_rq_key k = tp_key(ctx->dev, ctx->sector);

	return record_who(&k, ctx->dev, io_start, false);
}

static __always_inline int issue_tp(struct trace_event_raw_block_rq *ctx)
{
	struct block_rq_key k = tp_key(ctx->dev, ctx->sector);
	char rwbs[BLOCK_RWBS_LEN];

	tp_rwbs(ctx, rwbs);
	return record_issue(&k, ctx->dev, ctx->bytes, rwbs_write(rwbs));
}

static __always_inline int complete_tp(struct block_rq_complete_record *ctx)
{
	struct block_rq_key k = tp_key(ctx->dev, ctx->sector);

	return complete(ctx, &k, ctx->sector, NULL);
}

/* ---- programs --------------------------------------------------------------------------- */

SEC("tp_btf/block_io_start")
int BPF_PROG(block_io_start_btf, struct request *rq) { return who_rq(rq, true); }
SEC("raw_tp/block_io_start")
int BPF_PROG(block_io_start_raw, struct request *rq) { return who_rq(rq, true); }
SEC("tracepoint/block/block_io_start")
int block_io_start_tp(struct trace_event_raw_block_rq *ctx) { return who_tp(ctx, true); }

SEC("tp_btf/block_rq_insert")
int block_rq_insert_btf(u64 *ctx) { return who_rq(rq_arg(ctx), false); }
SEC("raw_tp/block_rq_insert")
int block_rq_insert_raw(u64 *ctx) { return who_rq(rq_arg(ctx), false); }
SEC("tracepoint/block/block_rq_insert")
int block_rq_insert_tp(struct trace_event_raw_block_rq *ctx) { return who_tp(ctx, false); }

SEC("tp_btf/block_rq_issue")
int block_rq_issue_btf(u64 *ctx) { return issue_rq(rq_arg(ctx)); }
SEC("raw_tp/block_rq_issue")
int block_rq_issue_raw(u64 *ctx) { return issue_rq(rq_arg(ctx)); }
SEC("tracepoint/block/block_rq_issue")
int block_rq_issue_tp(struct trace_event_raw_block_rq *ctx) { return issue_tp(ctx); }

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete_btf, struct request *rq) { return complete_rq(ctx, rq); }
SEC("raw_tp/block_rq_complete")
int BPF_PROG(block_rq_complete_raw, struct request *rq) { return complete_rq(ctx, rq); }
SEC("tracepoint/block/block_rq_complete")
int block_rq_complete_tp(struct block_rq_complete_record *ctx) { return complete_tp(ctx); }

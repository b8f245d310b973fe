/* The life of a block request, for the tools that report each request at its completion with
 * the task that started it (biosnoop, biotop, biostacks): who started it, when it was issued to
 * the device and how big it was, then one call at completion. The stages and their programs
 * (every candidate of block_io_start, block_rq_insert, block_rq_issue and block_rq_complete) are
 * here; the including tool defines what a completion does:
 *
 *   static __always_inline int block_rq_done(void *ctx, const struct block_rq_done *d);
 *
 * called for every completed request that was issued while the tool ran, passes -d and the
 * task filters (the filters apply to the starting task). Requests are keyed as block.bpf.h says.
 * Include after bcct.bpf.h and block.bpf.h. */
#ifndef BCCT_BLOCK_RQ_BPF_H
#define BCCT_BLOCK_RQ_BPF_H

#define BLOCK_REQ_OP_MASK	0xff
#define BLOCK_REQ_OP_WRITE	1

/* Who started the request, and when (queue time starts there). */
struct block_rq_who {
	u64 ts;
	u32 pid;
	u32 from_io_start;      /* seen at block_io_start, the most precise point */
	char comm[16];
	u32 keep;               /* the starting task passes the task filters */
	s32 stack_id;           /* its kernel stack, when the tool asked (block_rq_who_stack) */
};

struct block_rq_issue {
	u64 ts;
	u32 len;                /* bytes */
	u32 dev;                /* kernel dev_t */
	u32 write;
	u32 pad;
};

/* What a completion hands to the tool. */
struct block_rq_done {
	u64 ts;                                 /* now */
	u64 sector;
	struct request *rq;                     /* NULL from classic tracepoints */
	const struct block_rq_who *who;         /* NULL when the start was not seen */
	const struct block_rq_issue *issue;
};

static __always_inline int block_rq_done(void *ctx, const struct block_rq_done *d);

/* A tool that keys by the starting task's kernel stack sets this and defines, before including
 * this header, BLOCK_RQ_STACKS as the name of its BPF_MAP_TYPE_STACK_TRACE map. */
const volatile bool block_rq_who_stack = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct block_rq_key);
	__type(value, struct block_rq_who);
} infobyreq SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct block_rq_key);
	__type(value, struct block_rq_issue);
} start SEC(".maps");

/* Any task filter at all: then I/O whose starting task was not seen is left out too. */
static __always_inline bool block_rq_task_filtered(void)
{
	return bcct_filter.pid || bcct_filter.tid || bcct_filter.has_uid || bcct_filter.has_comm ||
	       bcct_filter.has_cgroup || bcct_filter.has_cgroupmap || bcct_filter.has_mntnsmap;
}

/*
 * The starting task is the one current when the request is started: block_io_start (6.5+)
 * names it and always wins; before 6.5 the insertion does, and a request issued directly
 * without insertion is attributed at issue.
 */
static __always_inline int record_who(void *ctx, struct block_rq_key *k, u32 dev, bool io_start,
				      bool issue)
{
	struct block_rq_who w = { .ts = bpf_ktime_get_ns(), .from_io_start = io_start, .stack_id = -1 };
	struct block_rq_who *old;

	if (!block_dev_wanted(dev))
		return 0;
	old = bpf_map_lookup_elem(&infobyreq, k);
	if (old && (issue || old->from_io_start) && !io_start)
		return 0;
	w.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&w.comm, sizeof(w.comm));
	w.keep = bcct_filter_current();
#ifdef BLOCK_RQ_STACKS
	if (block_rq_who_stack)
		w.stack_id = bpf_get_stackid(ctx, &BLOCK_RQ_STACKS, 0);
#endif
	bpf_map_update_elem(&infobyreq, k, &w, BPF_ANY);
	return 0;
}

static __always_inline int record_issue(void *ctx, struct block_rq_key *k, u32 dev, u32 len,
					bool write)
{
	struct block_rq_issue i = { .ts = bpf_ktime_get_ns(), .len = len, .dev = dev, .write = write };

	if (!block_dev_wanted(dev))
		return 0;
	record_who(ctx, k, dev, false, true);
	bpf_map_update_elem(&start, k, &i, BPF_ANY);
	return 0;
}

static __always_inline int complete(void *ctx, struct block_rq_key *k, u64 sector, struct request *rq)
{
	struct block_rq_done d = { .ts = bpf_ktime_get_ns(), .sector = sector, .rq = rq };

	d.issue = bpf_map_lookup_elem(&start, k);
	if (!d.issue)
		return 0;   /* issued before we started, or on another disk */
	d.who = bpf_map_lookup_elem(&infobyreq, k);
	if (!block_rq_task_filtered() || (d.who && d.who->keep))
		block_rq_done(ctx, &d);
	bpf_map_delete_elem(&start, k);
	bpf_map_delete_elem(&infobyreq, k);
	return 0;
}

/* ---- struct request (tp_btf, raw_tp) ---------------------------------------------------- */

static __always_inline int who_rq(void *ctx, struct request *rq, bool io_start)
{
	struct block_rq_key k = rq_key(rq);

	return record_who(ctx, &k, rq_devt(rq), io_start, false);
}

static __always_inline int issue_rq(void *ctx, struct request *rq)
{
	struct block_rq_key k = rq_key(rq);
	u32 op = BPF_CORE_READ(rq, cmd_flags) & BLOCK_REQ_OP_MASK;

	return record_issue(ctx, &k, rq_devt(rq), BPF_CORE_READ(rq, __data_len),
			    op == BLOCK_REQ_OP_WRITE);
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

	return record_who(ctx, &k, ctx->dev, io_start, false);
}

static __always_inline int issue_tp(struct trace_event_raw_block_rq *ctx)
{
	struct block_rq_key k = tp_key(ctx->dev, ctx->sector);
	char rwbs[BLOCK_RWBS_LEN];

	tp_rwbs(ctx, rwbs);
	return record_issue(ctx, &k, ctx->dev, ctx->bytes, rwbs_write(rwbs));
}

static __always_inline int complete_tp(struct block_rq_complete_record *ctx)
{
	struct block_rq_key k = tp_key(ctx->dev, ctx->sector);

	return complete(ctx, &k, ctx->sector, NULL);
}

/* ---- programs --------------------------------------------------------------------------- */

SEC("tp_btf/block_io_start")
int BPF_PROG(block_io_start_btf, struct request *rq) { return who_rq(ctx, rq, true); }
SEC("raw_tp/block_io_start")
int BPF_PROG(block_io_start_raw, struct request *rq) { return who_rq(ctx, rq, true); }
SEC("tracepoint/block/block_io_start")
int block_io_start_tp(struct trace_event_raw_block_rq *ctx) { return who_tp(ctx, true); }

SEC("tp_btf/block_rq_insert")
int block_rq_insert_btf(u64 *ctx) { return who_rq(ctx, rq_arg(ctx), false); }
SEC("raw_tp/block_rq_insert")
int block_rq_insert_raw(u64 *ctx) { return who_rq(ctx, rq_arg(ctx), false); }
SEC("tracepoint/block/block_rq_insert")
int block_rq_insert_tp(struct trace_event_raw_block_rq *ctx) { return who_tp(ctx, false); }

SEC("tp_btf/block_rq_issue")
int block_rq_issue_btf(u64 *ctx) { return issue_rq(ctx, rq_arg(ctx)); }
SEC("raw_tp/block_rq_issue")
int block_rq_issue_raw(u64 *ctx) { return issue_rq(ctx, rq_arg(ctx)); }
SEC("tracepoint/block/block_rq_issue")
int block_rq_issue_tp(struct trace_event_raw_block_rq *ctx) { return issue_tp(ctx); }

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete_btf, struct request *rq) { return complete_rq(ctx, rq); }
SEC("raw_tp/block_rq_complete")
int BPF_PROG(block_rq_complete_raw, struct request *rq) { return complete_rq(ctx, rq); }
SEC("tracepoint/block/block_rq_complete")
int block_rq_complete_tp(struct block_rq_complete_record *ctx) { return complete_tp(ctx); }
#endif

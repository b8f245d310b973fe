/* Block family, BPF side, shared by the block tools (biolatency, biosnoop, biotop, bitesize,
 * biopattern; biostacks to come): finding the request, its disk and dev_t across kernel
 * versions, keying requests, the -d disk filter and the classic block_rq_complete record. The
 * user-space half (disk names, dev_t, the rq_after_queue answer) is core/family/blk.h.
 * Include after bcct.bpf.h. */
#ifndef BCCT_BLOCK_BPF_H
#define BCCT_BLOCK_BPF_H

const volatile bool filter_dev = false;     /* -d */
const volatile unsigned int targ_dev = 0;   /* its kernel dev_t (blk_disk_option) */

/* -d: whether I/O on dev is traced. */
static __always_inline bool block_dev_wanted(u32 dev)
{
	return !filter_dev || dev == targ_dev;
}

/*
 * A request in flight. tp_btf and raw_tp programs key it by its struct request; the classic
 * tracepoint programs, which only see (dev, sector), key it by that, as BCC does.
 */
struct block_rq_key {
	u64 id;         /* struct request *, or dev_t for classic tracepoints */
	u64 sector;     /* 0, or the sector for classic tracepoints */
};

/* ---- struct request (tp_btf, raw_tp) -------------------------------------------------- */

/* block_rq_insert and block_rq_issue lost their request_queue argument in 5.11 (and in
 * distribution kernels that backported the change: versions do not tell), so user space reads
 * the tracepoint's prototype in BTF and sets rq_after_queue (blk_rq_has_queue_arg).
 * Each branch reads ctx at a constant offset: left to itself clang folds the two loads into
 * one from ctx + (8 or 0), and the 5.10 verifier refuses a load through a modified ctx pointer
 * in tp_btf programs. The branch not taken is pruned at load (rq_after_queue is .rodata). */
const volatile bool rq_after_queue = false;

static __always_inline struct request *rq_arg(u64 *ctx)
{
	struct request *rq;

	if (rq_after_queue)
		asm volatile("%0 = *(u64 *)(%1 + 8)" : "=r"(rq) : "r"(ctx));
	else
		asm volatile("%0 = *(u64 *)(%1 + 0)" : "=r"(rq) : "r"(ctx));
	return rq;
}

/* The disk: request->rq_disk in older kernels, request->q->disk since 5.15. */
struct request___rq_disk {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

static __always_inline struct gendisk *rq_disk(struct request *rq)
{
	struct request___rq_disk *old = (void *)rq;

	if (bpf_core_field_exists(old->rq_disk))
		return BPF_CORE_READ(old, rq_disk);
	return BPF_CORE_READ(rq, q, disk);
}

/* The kernel dev_t (major << 20 | minor) of the request's disk; 0 without one. */
static __always_inline u32 rq_devt(struct request *rq)
{
	struct gendisk *disk = rq_disk(rq);

	if (!disk)
		return 0;
	return BPF_CORE_READ(disk, major) << 20 | BPF_CORE_READ(disk, first_minor);
}

static __always_inline struct block_rq_key rq_key(struct request *rq)
{
	struct block_rq_key k = { .id = (u64)rq };

	return k;
}

/* ---- classic tracepoints ---------------------------------------------------------------- */

static __always_inline struct block_rq_key tp_key(u32 dev, u64 sector)
{
	struct block_rq_key k = { .id = dev, .sector = sector };

	return k;
}

/*
 * The block_rq_complete record was trace_event_raw_block_rq_complete until block_rq_error came
 * to share it (trace_event_raw_block_rq_completion); both start with dev and sector after the
 * 8-byte common header, then nr_sector and error (an errno). A plain struct reads those fixed
 * offsets. Then rwbs: at offset 32, or 34 since ioprio came before it (6.x).
 */
struct block_rq_complete_record {
	u64 common;
	u32 dev;
	u32 pad;
	u64 sector;
	u32 nr_sector;
	int error;
};

/* The rwbs letters of a block_rq_complete record into the caller's char[BLOCK_RWBS_LEN]. */
static __always_inline void tp_complete_rwbs(struct block_rq_complete_record *ctx, char *rwbs)
{
	if (bpf_core_field_exists(struct trace_event_raw_block_rq_completion, ioprio))
		bpf_probe_read_kernel(rwbs, 8, (void *)ctx + 34);
	else
		bpf_probe_read_kernel(rwbs, 8, (void *)ctx + 32);
}

/* The rwbs letters of a block_rq_* record (blk_fill_rwbs) into the caller's char[8]. Read as a
 * copy: byte loads at a moved ctx pointer are refused; the field is 8 or 10 bytes long, the
 * first 8 are enough. (Returning the copy as a struct instead makes clang address its bytes
 * with a bitwise or, which the verifier refuses.) */
#define BLOCK_RWBS_LEN 8

static __always_inline void tp_rwbs(struct trace_event_raw_block_rq *ctx, char *rwbs)
{
	bpf_core_read(rwbs, BLOCK_RWBS_LEN, &ctx->rwbs);
}
#endif

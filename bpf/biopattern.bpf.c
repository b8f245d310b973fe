/* biopattern: each completed block I/O is sequential when it starts where the disk's previous
 * one ended, else random, counted per disk as BCC's and libbpf-tools' biopattern do at
 * block:block_rq_complete (the first I/O a disk completes after the counters were cleared only
 * sets the position). */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "biopattern.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, struct biopattern_counter);
} counters SEC(".maps");

static const struct biopattern_counter zero_counter;

static __always_inline int classify(u32 dev, u64 sector, u32 nr_sector)
{
	struct biopattern_counter *c;

	if (!block_dev_wanted(dev))
		return 0;
	c = bcct_lookup_or_init(&counters, &dev, &zero_counter);
	if (!c)
		return 0;
	if (c->last_sector) {
		if (c->last_sector == sector)
			__sync_fetch_and_add(&c->sequential, 1);
		else
			__sync_fetch_and_add(&c->random, 1);
		__sync_fetch_and_add(&c->bytes, (u64)nr_sector * 512);
	}
	c->last_sector = sector + nr_sector;
	return 0;
}

/* The tracepoint's own fields: nr_sector is the bytes completed (the third argument), in
 * sectors. */
static __always_inline int complete_rq(struct request *rq, unsigned int nr_bytes)
{
	return classify(rq_devt(rq), BPF_CORE_READ(rq, __sector), nr_bytes >> 9);
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete_btf, struct request *rq, int error, unsigned int nr_bytes)
{
	return complete_rq(rq, nr_bytes);
}

SEC("raw_tp/block_rq_complete")
int BPF_PROG(block_rq_complete_raw, struct request *rq, int error, unsigned int nr_bytes)
{
	return complete_rq(rq, nr_bytes);
}

SEC("tracepoint/block/block_rq_complete")
int block_rq_complete_tp(struct block_rq_complete_record *ctx)
{
	return classify(ctx->dev, ctx->sector, ctx->nr_sector);
}

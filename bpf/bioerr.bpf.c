/* bioerr: block requests completing with an error, at block:block_rq_complete as the book's
 * bioerr.bt: the record has the error as an errno and the rwbs letters, which the raw
 * tracepoint's arguments (a blk_status_t, whose numbering changes between kernels) do not. */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "bioerr.h"

SEC("tracepoint/block/block_rq_complete")
int block_rq_complete_tp(struct block_rq_complete_record *ctx)
{
	struct bioerr_event *e;

	if (!ctx->error || !block_dev_wanted(ctx->dev))
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->dev = ctx->dev;
	e->sector = ctx->sector;
	e->nr_sector = ctx->nr_sector;
	e->error = ctx->error;
	tp_complete_rwbs(ctx, e->rwbs);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

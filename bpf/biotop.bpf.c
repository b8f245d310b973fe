/* biotop: block I/O per process, direction and disk: count, bytes and time from issue to
 * completion, summed per interval. The request's stages are bpf/block_rq.bpf.h's, the same
 * probes as biosnoop; BCC's kprobes (blk_account_io_start, blk_mq_start_request,
 * blk_account_io_done) are these tracepoints' points in the kernel. */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "block_rq.bpf.h"
#include "biotop.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BIOTOP_MAX_ENTRIES);
	__type(key, struct biotop_key);
	__type(value, struct biotop_val);
} counts SEC(".maps");

static const struct biotop_val zero_val;

static __always_inline int block_rq_done(void *ctx, const struct block_rq_done *d)
{
	const struct block_rq_issue *i = d->issue;
	struct biotop_key k = { .write = i->write, .dev = i->dev };
	struct biotop_val *v;

	if (d->who) {
		k.pid = d->who->pid;
		__builtin_memcpy(k.comm, d->who->comm, sizeof(k.comm));
	}
	v = bcct_lookup_or_init(&counts, &k, &zero_val);
	if (!v)
		return 0;
	__sync_fetch_and_add(&v->bytes, i->len);
	__sync_fetch_and_add(&v->ns, d->ts - i->ts);
	__sync_fetch_and_add(&v->io, 1);
	return 0;
}

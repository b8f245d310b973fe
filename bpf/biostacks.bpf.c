/* biostacks: block I/O latency from its start (block_io_start: the accounting start BCC's and
 * libbpf-tools' blk_account_io_start kprobe sees; before 6.5 the insertion or issue) to its
 * completion, a log2 histogram per starting task, its kernel stack at the start, and disk. The
 * request's stages are bpf/block_rq.bpf.h's, which takes the stack when block_rq_who_stack. */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "biostacks.h"

const volatile bool targ_ms = false;        /* -m */

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(u32));
	__uint(value_size, BIOSTACKS_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

#define BLOCK_RQ_STACKS stacks
#include "block_rq.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct biostacks_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline int block_rq_done(void *ctx, const struct block_rq_done *d)
{
	const struct block_rq_who *w = d->who;
	struct biostacks_key k = {};
	u64 delta;

	if (!w)
		return 0;       /* started before we did: no stack to key it by */
	delta = d->ts - w->ts;
	if ((s64)delta < 0)
		return 0;
	k.pid = w->pid;
	k.dev = d->issue->dev;
	k.stack_id = w->stack_id;
	__builtin_memcpy(k.comm, w->comm, sizeof(k.comm));
	bcct_hist_add_log2(&hists, &k, delta / (targ_ms ? 1000000 : 1000));
	return 0;
}

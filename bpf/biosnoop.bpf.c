/* biosnoop: one event per block I/O with the task that started it, its disk, sector, size and
 * latency. The request's stages are bpf/block_rq.bpf.h's. */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "block_rq.bpf.h"
#include "biosnoop.h"

const volatile bool targ_queued = false;    /* -Q */
const volatile bool targ_pattern = false;   /* -P */

/* -P: where the last I/O of each disk ended. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u64);
} last_sector SEC(".maps");

static __always_inline char pattern(u32 dev, u64 sector, u32 len)
{
	u64 *last = bpf_map_lookup_elem(&last_sector, &dev), end = sector + len / 512;
	char p = last ? (*last == sector ? 'S' : 'R') : '?';

	bpf_map_update_elem(&last_sector, &dev, &end, BPF_ANY);
	return p;
}

static __always_inline int block_rq_done(void *ctx, const struct block_rq_done *d)
{
	const struct block_rq_issue *i = d->issue;
	const struct block_rq_who *w = d->who;
	struct request *rq = d->rq;     /* a plain load: BPF_CORE_READ relocates what it is given */
	struct biosnoop_event *e;

	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = d->ts;
	e->delta = d->ts - i->ts;
	e->qdelta = 0;
	e->sector = d->sector;
	e->len = i->len;
	e->dev = i->dev;
	e->rwflag = i->write ? 'W' : 'R';
	e->pattern = targ_pattern ? pattern(i->dev, d->sector, i->len) : 0;
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
	return 0;
}

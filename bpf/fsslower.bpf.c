/* fsslower (ext4slower, xfsslower, ...): file-system operations slower than a threshold, one
 * event each; the timing is bpf/fsop.bpf.h's. */
#include "bcct.bpf.h"
#include "fsop.bpf.h"

const volatile unsigned long long min_ns = 0;

static __always_inline int fsop_done(void *ctx, const struct fsop_start *s, struct file *file,
				     u64 delta_ns, long ret)
{
	struct fsslower_event *e;

	if (delta_ns < min_ns)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->end_ns = s->ts + delta_ns;
	e->delta_ns = delta_ns;
	e->offset = s->offset;
	e->count = s->count;
	/* BCC's BYTES: what read/write returned; 0 for open and fsync. */
	e->size = s->op == FSOP_READ || s->op == FSOP_WRITE ? ret : 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->tid = (u32)bpf_get_current_pid_tgid();
	e->op = s->op;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	fs_file_name(file, e->file, sizeof(e->file));
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

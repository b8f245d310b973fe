/* fsdist (ext4dist, xfsdist, ...): file-system operation latency, one log2 histogram per
 * operation; the timing is bpf/fsop.bpf.h's. */
#include "bcct.bpf.h"
#include "fsop.bpf.h"

const volatile bool in_ms = false;   /* -m */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FSOP_COUNT);
	__type(key, u32);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline int fsop_done(void *ctx, const struct fsop_start *s, struct file *file,
				     u64 delta_ns, long ret)
{
	u32 op = s->op;

	bcct_hist_add_log2(&hists, &op, in_ms ? delta_ns / 1000000 : delta_ns / 1000);
	return 0;
}

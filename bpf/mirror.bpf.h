/* Mirrored text, BPF side (bpf/mirror.h): a write's buffers as segments, sent as events of at
 * most data_size bytes, at most data_count per write, through the filter of the current task.
 * For ttysnoop and shellsnoop. Include after bcct.bpf.h. */
#ifndef BCCT_MIRROR_BPF_H
#define BCCT_MIRROR_BPF_H
#include "mirror.h"

const volatile unsigned int data_size = 256;    /* -s, at most MIRROR_MAX_SIZE */
const volatile unsigned int data_count = 16;    /* -c, at most MIRROR_MAX_COUNT */

/* Up to this many segments of one writev (or iov_iter) are copied, within -c events. */
#define MIRROR_MAX_SEGS 16

/*
 * One write being mirrored, in a per-CPU map rather than on the stack: the loop's position
 * (segment, offset, events sent) is read back from map memory each step, so the verifier sees
 * one state per step instead of one per combination of constants (on the stack, the walk of
 * -c x segments went past its million instructions).
 */
struct mirror_write {
	struct mirror_event ev;
	const void *base[MIRROR_MAX_SEGS];
	u64 len[MIRROR_MAX_SEGS];
	u64 off;
	u32 nsegs, seg, sent;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct mirror_write);
} mirror_scratch SEC(".maps");

/* A new write to mirror, with no segments yet; NULL when the task is filtered out. */
static __always_inline struct mirror_write *mirror_begin(void)
{
	struct mirror_write *w;
	u32 zero = 0;

	if (!bcct_filter_current())
		return NULL;
	w = bpf_map_lookup_elem(&mirror_scratch, &zero);
	if (w)
		w->nsegs = w->seg = w->sent = w->off = 0;
	return w;
}

static __always_inline void mirror_add(struct mirror_write *w, const void *base, u64 len)
{
	u32 k = w->nsegs;

	if (k >= MIRROR_MAX_SEGS)
		return;
	w->base[k & (MIRROR_MAX_SEGS - 1)] = base;
	w->len[k & (MIRROR_MAX_SEGS - 1)] = len;
	w->nsegs = k + 1;
}

/* An iovec array of n entries (in user memory for writev, in the kernel's copy for an
 * iov_iter), as far as MIRROR_MAX_SEGS goes. */
static __always_inline void mirror_add_iovec(struct mirror_write *w, const struct iovec *iov, u64 n,
					     bool user)
{
	struct iovec v;

	for (int i = 0; i < MIRROR_MAX_SEGS && i < n; i++) {
		if (user ? bpf_probe_read_user(&v, sizeof(v), &iov[i]) :
			   bpf_probe_read_kernel(&v, sizeof(v), &iov[i]))
			break;
		mirror_add(w, v.iov_base, v.iov_len);
	}
}

/* Sends the segments' bytes as events of at most data_size bytes, at most data_count of them
 * (BCC: -c chunks of -s bytes of one buffer): a step per event or per segment finished. */
static __always_inline int mirror_send(void *ctx, struct mirror_write *w)
{
	for (int i = 0; i < MIRROR_MAX_COUNT + MIRROR_MAX_SEGS; i++) {
		u32 k = w->seg & (MIRROR_MAX_SEGS - 1);
		u64 n;

		if (w->seg >= w->nsegs || w->seg >= MIRROR_MAX_SEGS || w->sent >= data_count)
			break;
		if (w->off >= w->len[k]) {
			w->seg++;
			w->off = 0;
			continue;
		}
		n = w->len[k] - w->off;
		if (n > data_size)
			n = data_size;
		if (n > MIRROR_MAX_SIZE)
			n = MIRROR_MAX_SIZE;
		if (bpf_probe_read_user(w->ev.buf, n, w->base[k] + w->off))
			break;
		w->ev.ts = bpf_ktime_get_ns();
		w->ev.count = n;
		bcct_event_output(ctx, &w->ev, MIRROR_EVENT_BASE + n);
		w->off += n;
		w->sent++;
	}
	return 0;
}
#endif

/* writeback (BPF Performance Tools, ch. 8; bpftrace's writeback.bt): each writeback the kernel
 * completes, with its device, pages, reason and duration, at the writeback:writeback_start and
 * writeback:writeback_written tracepoints (the tool's own probes, on every kernel): their raw
 * hooks, reading the tracepoint's fields from its arguments (one link each, released at once),
 * else the classic events. */
#include "bcct.bpf.h"
#include "writeback.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);               /* sb_dev */
	__type(value, u64);
} start SEC(".maps");

static __always_inline int on_start(u32 dev)
{
	u64 ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &dev, &ts, BPF_ANY);
	return 0;
}

/* The kernel's enum wb_reason value r as ours (CO-RE: each name's value on this kernel). */
#define WB_IS(r, name) (bpf_core_enum_value_exists(enum wb_reason, WB_REASON_##name) && \
			(r) == bpf_core_enum_value(enum wb_reason, WB_REASON_##name))
enum wb_reason___old { WB_REASON_FREE_MORE_MEM___old = 5 };

static __always_inline u32 reason_of(int r)
{
	if (WB_IS(r, BACKGROUND)) return WBR_BACKGROUND;
	if (WB_IS(r, VMSCAN)) return WBR_VMSCAN;
	if (WB_IS(r, SYNC)) return WBR_SYNC;
	if (WB_IS(r, PERIODIC)) return WBR_PERIODIC;
	if (WB_IS(r, LAPTOP_TIMER)) return WBR_LAPTOP_TIMER;
	if (WB_IS(r, FS_FREE_SPACE)) return WBR_FS_FREE_SPACE;
	if (WB_IS(r, FORKER_THREAD)) return WBR_FORKER_THREAD;
	if (WB_IS(r, FOREIGN_FLUSH)) return WBR_FOREIGN_FLUSH;
	if (bpf_core_enum_value_exists(enum wb_reason___old, WB_REASON_FREE_MORE_MEM___old) &&
	    r == bpf_core_enum_value(enum wb_reason___old, WB_REASON_FREE_MORE_MEM___old))
		return WBR_FREE_MORE_MEM;
	return WBR_UNKNOWN;
}

/* name: the backing device's name, a kernel string. */
static __always_inline int on_written(void *ctx, u32 dev, long nr_pages, int reason,
				      const char *name)
{
	u64 now = bpf_ktime_get_ns(), *ts = bpf_map_lookup_elem(&start, &dev);
	struct writeback_event *e;

	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		goto out;
	e->ts = now;
	e->lat_ns = ts && now > *ts ? now - *ts : 0;
	e->nr_pages = nr_pages;
	e->reason = reason_of(reason);
	e->sb_dev = dev;
	bpf_probe_read_kernel_str(e->name, sizeof(e->name), name);
	bcct_event_submit(ctx, e, sizeof(*e));
out:
	if (ts)
		bpf_map_delete_elem(&start, &dev);
	return 0;
}

/* The raw hooks: (struct bdi_writeback *wb, struct wb_writeback_work *work); the event's sb_dev
 * is work->sb's s_dev (0 without one), its name bdi_dev_name(wb->bdi). */
static __always_inline u32 work_dev(struct wb_writeback_work *work)
{
	struct super_block *sb = BPF_CORE_READ(work, sb);

	return sb ? BPF_CORE_READ(sb, s_dev) : 0;
}

SEC("raw_tp/writeback_start")
int BPF_PROG(writeback_start_raw, struct bdi_writeback *wb, struct wb_writeback_work *work)
{ return on_start(work_dev(work)); }

SEC("raw_tp/writeback_written")
int BPF_PROG(writeback_written_raw, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	struct backing_dev_info *bdi = BPF_CORE_READ(wb, bdi);

	return on_written(ctx, work_dev(work), BPF_CORE_READ(work, nr_pages),
			  BPF_CORE_READ(work, reason),
			  BPF_CORE_READ(bdi, dev) ? bdi->dev_name : "(unknown)");
}

SEC("tracepoint/writeback/writeback_start")
int writeback_start_tp(struct trace_event_raw_writeback_work_class *ctx)
{ return on_start(ctx->sb_dev); }

SEC("tracepoint/writeback/writeback_written")
int writeback_written_tp(struct trace_event_raw_writeback_work_class *ctx)
{ return on_written(ctx, ctx->sb_dev, ctx->nr_pages, ctx->reason, ctx->name); }

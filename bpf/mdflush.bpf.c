/* mdflush: flush requests reaching an md (software RAID) device, at md_flush_request(mddev,
 * bio). No tracepoint sees them as md's: only fentry or a kprobe. */
#include "bcct.bpf.h"
#include "mdflush.h"

/* The bio's disk: bio->bi_disk before 5.12, bio->bi_bdev->bd_disk since. */
struct bio___bi_disk {
	struct gendisk *bi_disk;
} __attribute__((preserve_access_index));

static __always_inline struct gendisk *bio_disk(struct bio *bio)
{
	struct bio___bi_disk *old = (void *)bio;

	if (bpf_core_field_exists(old->bi_disk))
		return BPF_CORE_READ(old, bi_disk);
	return BPF_CORE_READ(bio, bi_bdev, bd_disk);
}

static __always_inline int flush(void *ctx, struct bio *bio)
{
	struct mdflush_event *e;

	if (!bcct_filter_current())
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	e->disk[0] = 0;
	BPF_CORE_READ_STR_INTO(&e->disk, bio_disk(bio), disk_name);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("fentry/md_flush_request")
int BPF_PROG(md_flush_request_fentry, void *mddev, struct bio *bio) { return flush(ctx, bio); }

SEC("kprobe/md_flush_request")
int BPF_KPROBE(md_flush_request_kprobe, void *mddev, struct bio *bio) { return flush(ctx, bio); }

/* blkthrot: bios that blk-throttle (cgroup I/O limits) held back or let through, per block
 * cgroup (its css id), as the book's blkthrot.bt (BPF Performance Tools, ch. 15). The answer is
 * the return value of blk_throtl_bio (__blk_throtl_bio from 5.13, blk_throtl_bio an inline
 * wrapper since): true when the bio was queued for later. Only kprobes see it: there is no
 * throttling tracepoint. Kernels from 5.7, where the function takes the bio alone. */
#include "bcct.bpf.h"
#include "blkthrot.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);                       /* the blkcg's css id */
	__type(value, struct blkthrot_counts);
} counts SEC(".maps");

/* The bio's cgroup between entry and return, by thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u32);
} entered SEC(".maps");

static __always_inline int enter(struct bio *bio)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u32 id = BPF_CORE_READ(bio, bi_blkg, blkcg, css.id);

	bpf_map_update_elem(&entered, &tid, &id, BPF_ANY);
	return 0;
}

static __always_inline int leave(bool throttled)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u32 *id = bpf_map_lookup_elem(&entered, &tid);
	struct blkthrot_counts *c;

	if (!id)
		return 0;
	c = bcct_lookup_or_init(&counts, id, &(struct blkthrot_counts){});
	if (c) {
		if (throttled)
			__sync_fetch_and_add(&c->throttled, 1);
		else
			__sync_fetch_and_add(&c->not_throttled, 1);
	}
	bpf_map_delete_elem(&entered, &tid);
	return 0;
}

SEC("kprobe/__blk_throtl_bio")
int BPF_KPROBE(throtl_kprobe, struct bio *bio) { return enter(bio); }
SEC("kprobe/blk_throtl_bio")
int BPF_KPROBE(throtl_kprobe2, struct bio *bio) { return enter(bio); }
SEC("kretprobe/__blk_throtl_bio")
int BPF_KRETPROBE(throtl_ret_kretprobe, bool ret) { return leave(ret); }
SEC("kretprobe/blk_throtl_bio")
int BPF_KRETPROBE(throtl_ret_kretprobe2, bool ret) { return leave(ret); }

/* swapin (BPF Performance Tools, ch. 7): pages read back from swap, counted by process, at the
 * kernel function that reads one: swap_read_folio from 6.10, swap_readpage before (bcc's
 * swapin.py takes whichever exists). No tracepoint sees a swap-in. */
#include "bcct.bpf.h"
#include "pidcomm.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct pidcomm_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int swapin_count(void)
{
	struct pidcomm_key key = { .pid = bpf_get_current_pid_tgid() >> 32 };
	static const u64 zero;
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("kprobe/swap_read_folio")
int BPF_KPROBE(read_folio_kprobe) { return swapin_count(); }

SEC("kprobe/swap_readpage")
int BPF_KPROBE(readpage_kprobe) { return swapin_count(); }

/* threaded (BPF Performance Tools, ch. 13): which threads of a process are on CPU, sampled on a
 * timer (a software cpu-clock perf event per CPU), counted by thread. */
#include "bcct.bpf.h"
#include "threaded.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct threaded_key);
	__type(value, u64);
} counts SEC(".maps");

SEC("perf_event")
int sample_perf(struct bpf_perf_event_data *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	struct threaded_key key = { .pid = id >> 32, .tid = (u32)id };
	static const u64 zero;
	u64 *n;

	/* The idle task (thread 0 on every CPU) is no thread of a process. */
	if (!key.tid || !bcct_filter_current())
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

/* llcstat: last-level cache references and misses per process (or thread) and CPU, as BCC's
 * llcstat: the hardware events cache-references and cache-misses sample every -c events
 * (core/pmc.h opens them per CPU: the programs are named after their events), each sample adds
 * its period to the task's count. */
#include "bcct.bpf.h"
#include "llcstat.h"

const volatile bool per_thread = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct llcstat_key);
	__type(value, u64);
} ref_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct llcstat_key);
	__type(value, u64);
} miss_count SEC(".maps");

static __always_inline int count(void *map, u64 period)
{
	u64 id = bpf_get_current_pid_tgid();
	struct llcstat_key key = { .cpu = bpf_get_smp_processor_id(), .pid = id >> 32 };
	static const u64 zero;
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	key.tid = per_thread ? (u32)id : key.pid;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	n = bcct_lookup_or_init(map, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, period);
	else
		bcct_count_lost();
	return 0;
}

SEC("perf_event")
int cache_misses_perf(struct bpf_perf_event_data *ctx) { return count(&miss_count, ctx->sample_period); }

SEC("perf_event")
int cache_references_perf(struct bpf_perf_event_data *ctx) { return count(&ref_count, ctx->sample_period); }

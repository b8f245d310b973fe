/* cpuwalk (BPF Performance Tools, ch. 6, bpftrace's cpuwalk.bt): which CPUs processes run on,
 * sampled on a timer (a software cpu-clock perf event per CPU), counted by CPU. */
#include "bcct.bpf.h"

/* One count per CPU, sized to the CPUs possible by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} cpus SEC(".maps");

SEC("perf_event")
int sample_perf(struct bpf_perf_event_data *ctx)
{
	u32 cpu = bpf_get_smp_processor_id();
	u64 *n;

	/* The idle task (pid 0) is no process: the book's /pid/. */
	if (!(u32)bpf_get_current_pid_tgid() || !bcct_filter_current())
		return 0;
	n = bpf_map_lookup_elem(&cpus, &cpu);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

/* cpufreq (upstream libbpf-tools, after the book's cpufreq.bt): the frequency of the CPU at
 * each sample of a software clock on every CPU, system-wide and per process name. The current
 * frequency of each CPU comes from power:cpu_frequency (the cpufreq driver reports every
 * change), starting from the values user space read from sysfs. A CPU whose frequency is not
 * known (no cpufreq driver, no change seen yet) is not sampled, as upstream. */
#include "bcct.bpf.h"
#include "cpufreq.h"

__u32 freqs_mhz[CPUFREQ_MAX_CPUS];
struct bcct_hist syswide;
__u64 unknown_samples;     /* samples on a CPU of unknown frequency */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct cpufreq_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

_Static_assert((CPUFREQ_MAX_CPUS & (CPUFREQ_MAX_CPUS - 1)) == 0, "cpu_index masks");

/* cpu (checked below CPUFREQ_MAX_CPUS) as an index 6.1's verifier sees bounded: clang tests the
 * bound as a mask test, or on a zero-extended copy of the register, neither of which 6.1 links
 * back to the index ("unbounded memory access"; newer verifiers do). A mask on the index itself
 * is a bound every verifier tracks; barrier_var() keeps clang from dropping it as redundant. */
static __always_inline u32 cpu_index(u32 cpu)
{
	barrier_var(cpu);
	return cpu & (CPUFREQ_MAX_CPUS - 1);
}

static __always_inline int frequency_changed(u32 state_khz, u32 cpu)
{
	if (cpu < CPUFREQ_MAX_CPUS)
		freqs_mhz[cpu_index(cpu)] = state_khz / 1000;
	return 0;
}

SEC("raw_tp/cpu_frequency")
int BPF_PROG(cpu_frequency_raw, unsigned int state, unsigned int cpu_id)
{
	return frequency_changed(state, cpu_id);
}

SEC("tracepoint/power/cpu_frequency")
int cpu_frequency_tp(struct trace_event_raw_cpu *ctx)
{
	return frequency_changed(ctx->state, ctx->cpu_id);
}

SEC("perf_event")
int sample_perf(void *ctx)
{
	u32 cpu = bpf_get_smp_processor_id(), mhz, slot;
	struct cpufreq_key key;
	struct bcct_hist *h;

	if (cpu >= CPUFREQ_MAX_CPUS || !bcct_filter_current())
		return 0;
	mhz = freqs_mhz[cpu_index(cpu)];
	if (!mhz) {
		__sync_fetch_and_add(&unknown_samples, 1);
		return 0;
	}
	slot = mhz / CPUFREQ_STEP_MHZ;
	if (slot >= CPUFREQ_SLOTS)
		slot = CPUFREQ_SLOTS - 1;
	__sync_fetch_and_add(&syswide.slots[slot], 1);
	if (!(u32)bpf_get_current_pid_tgid())     /* the idle task counts system-wide only */
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	h = bcct_lookup_or_init(&hists, &key, &bcct_zero_hist);
	if (h)
		__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

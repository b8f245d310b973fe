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

/* A CPU number bounded as a 64-bit index: compared as a u32, clang zero-extends it after the
 * check, and older verifiers (6.1) lose the bound on the way ("unbounded memory access"). */
static __always_inline u64 cpu_index(u32 cpu)
{
	u64 i = cpu;

	barrier_var(i);
	return i;
}

static __always_inline int frequency_changed(u32 state_khz, u32 cpu)
{
	u64 i = cpu_index(cpu);

	if (i < CPUFREQ_MAX_CPUS)
		freqs_mhz[i] = state_khz / 1000;
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
	u64 cpu = cpu_index(bpf_get_smp_processor_id());
	u32 mhz, slot;
	struct cpufreq_key key;
	struct bcct_hist *h;

	if (cpu >= CPUFREQ_MAX_CPUS || !bcct_filter_current())
		return 0;
	mhz = freqs_mhz[cpu];
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

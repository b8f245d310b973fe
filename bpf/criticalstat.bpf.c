/* criticalstat: kernel sections with IRQs (or preemption) disabled for longer than a threshold,
 * from the preemptirq tracepoints (CONFIG_PREEMPTIRQ_TRACEPOINTS; absent from most distribution
 * kernels, and then the tool refuses). As BCC: a section overlapping the CPU's idle (power:
 * cpu_idle) is not reported; the stack is taken where the section ends. */
#include "bcct.bpf.h"
#include "criticalstat.h"

#define PWR_EVENT_EXIT ((u32)-1)        /* cpu_idle's state when the CPU leaves idle */

const volatile __u64 min_ns = 100 * 1000ULL;

struct section {
	u64 ts;
	u64 ip, parent;
	bool active;
	bool idle_skip;                 /* idle began or ended inside it */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct section);
} sections SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} idle SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(u32));
	__uint(value_size, CRITICALSTAT_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

static __always_inline int on_cpu_idle(u32 state)
{
	u32 zero = 0;
	struct section *s = bpf_map_lookup_elem(&sections, &zero);
	u64 *in_idle = bpf_map_lookup_elem(&idle, &zero);

	if (s && s->active)
		s->idle_skip = true;
	if (in_idle)
		*in_idle = state != PWR_EVENT_EXIT;
	return 0;
}

static __always_inline int on_disable(u64 ip, u64 parent)
{
	u32 zero = 0;
	struct section *s = bpf_map_lookup_elem(&sections, &zero);
	u64 *in_idle = bpf_map_lookup_elem(&idle, &zero);

	if (!s)
		return 0;
	__builtin_memset(s, 0, sizeof(*s));
	if (in_idle && *in_idle)
		return 0;   /* sections of the idle loop are not worth reporting */
	s->ts = bpf_ktime_get_ns();
	s->ip = ip;
	s->parent = parent;
	s->active = true;
	return 0;
}

static __always_inline int on_enable(void *ctx, u64 ip, u64 parent)
{
	u32 zero = 0;
	struct section *s = bpf_map_lookup_elem(&sections, &zero);
	u64 *in_idle = bpf_map_lookup_elem(&idle, &zero);
	struct criticalstat_event *e;
	u64 now = bpf_ktime_get_ns();

	if (!s)
		return 0;
	if (s->active && !s->idle_skip && !(in_idle && *in_idle) && now > s->ts &&
	    now - s->ts >= min_ns && (e = bcct_event_reserve(sizeof(*e)))) {
		e->time_ns = now - s->ts;
		e->id = bpf_get_current_pid_tgid();
		e->start_ip = s->ip;
		e->start_parent = s->parent;
		e->end_ip = ip;
		e->end_parent = parent;
		e->stack_id = bpf_get_stackid(ctx, &stacks, 0);
		e->cpu = bpf_get_smp_processor_id();
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bcct_event_submit(ctx, e, sizeof(*e));
	}
	__builtin_memset(s, 0, sizeof(*s));
	return 0;
}

SEC("raw_tp/irq_disable")
int BPF_PROG(irq_disable_raw, unsigned long ip, unsigned long parent) { return on_disable(ip, parent); }
SEC("raw_tp/irq_enable")
int BPF_PROG(irq_enable_raw, unsigned long ip, unsigned long parent) { return on_enable(ctx, ip, parent); }
SEC("raw_tp/preempt_disable")
int BPF_PROG(preempt_disable_raw, unsigned long ip, unsigned long parent) { return on_disable(ip, parent); }
SEC("raw_tp/preempt_enable")
int BPF_PROG(preempt_enable_raw, unsigned long ip, unsigned long parent) { return on_enable(ctx, ip, parent); }
SEC("raw_tp/cpu_idle")
int BPF_PROG(cpu_idle_raw, unsigned int state, unsigned int cpu) { return on_cpu_idle(state); }

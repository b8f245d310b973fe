/* smpcalls (BPF Performance Tools, ch. 6): SMP cross-call times, a histogram per function
 * (bpf/durhist.bpf.h). As the book at smp_call_function_single(cpu, func, info, wait)'s and
 * smp_call_function_many(mask, func, info, wait)'s entry and return (kprobes: the caller's time,
 * sending and waiting), else csd:csd_function_entry/exit (func, csd): the called function's own
 * run on the target CPU. */
#include "durhist.bpf.h"

struct durhist_csd {
	u64 common;
	void *func;
	void *csd;
};

SEC("kprobe/smp_call_function_single")
int BPF_KPROBE(call_begin_kprobe, int cpu, void *func)
{
	return durhist_begin((u64)func, 0);
}

SEC("raw_tp/csd_function_entry")
int BPF_PROG(call_begin_raw, void *func) { return durhist_begin((u64)func, 0); }

SEC("tracepoint/csd/csd_function_entry")
int call_begin_tp(struct durhist_csd *ctx) { return durhist_begin((u64)ctx->func, 0); }

SEC("kretprobe/smp_call_function_single")
int BPF_KRETPROBE(call_end_kretprobe) { return durhist_end(); }

/* The book's second function (kprobes only: the csd tracepoints above see its calls too). */
SEC("kprobe/smp_call_function_many")
int BPF_KPROBE(many_begin_kprobe, void *mask, void *func)
{
	return durhist_begin((u64)func, 0);
}

SEC("kretprobe/smp_call_function_many")
int BPF_KRETPROBE(many_end_kretprobe) { return durhist_end(); }

SEC("raw_tp/csd_function_exit")
int call_end_raw(void *ctx) { return durhist_end(); }

SEC("tracepoint/csd/csd_function_exit")
int call_end_tp(void *ctx) { return durhist_end(); }


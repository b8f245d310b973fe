/* kvmexits (BPF Performance Tools, ch. 16): KVM guest exits by reason, from kvm:kvm_exit to the
 * next kvm:kvm_entry of the same vCPU thread (the time the host spent handling the exit), a
 * histogram per reason (bpf/durhist.bpf.h). The kvm module's tracepoint records are not in
 * vmlinux's BTF: the layout of the fields read, the same since 4.x, is declared here. */
#include "durhist.bpf.h"

struct durhist_kvm_exit {
	u64 common;
	u32 exit_reason;
	u32 pad;
	u64 guest_rip;
	u32 isa;
};

SEC("tracepoint/kvm/kvm_exit")
int kvm_exit_tp(struct durhist_kvm_exit *ctx)
{
	return durhist_begin(ctx->exit_reason, ctx->isa);
}

/* The entry needs no field, so its raw tracepoint serves first: a raw_tp link is released at
 * exit in about a millisecond, a tracepoint perf event in 25-60 ms (bench/ctrlc). The exit's
 * reason is only in the record (the raw arguments are the vCPU and the ISA), so kvm_exit stays a
 * tracepoint. */
SEC("raw_tp/kvm_entry")
int kvm_entry_raw(void *ctx) { return durhist_end(); }

SEC("tracepoint/kvm/kvm_entry")
int kvm_entry_tp(void *ctx) { return durhist_end(); }

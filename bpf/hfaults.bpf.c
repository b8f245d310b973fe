/* hfaults (BPF Performance Tools, ch. 7): huge page faults counted by process, as the book at
 * hugetlb_fault; else user faults in a hugetlb mapping at the user fault tracepoint
 * (bpf/vmafault.bpf.h). */
#include "vmafault.bpf.h"
#include "pidcomm.bpf.h"

SEC("kprobe/hugetlb_fault")
int BPF_KPROBE(fault_kprobe) { return pidcomm_count(); }

SEC("raw_tp/page_fault_user")
int BPF_PROG(fault_raw, unsigned long address)
{
	struct vmafault_vma v = {};

	if (!vmafault_find(address, &v) || !(v.flags & VMAFAULT_VM_HUGETLB))
		return 0;
	return pidcomm_count();
}

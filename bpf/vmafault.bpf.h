/* The mapping a user page fault hit, for the book's fault tools (ffaults, hfaults). The book
 * probes the kernel's fault handlers (kprobes, the vma an argument); where kprobes are missing,
 * the exceptions:page_fault_user tracepoint gives the faulting address and bpf_find_vma (5.17+)
 * the current task's vma holding it: user faults only, the kernel's own faults on user memory
 * (copy_to_user) not seen. */
#ifndef BCCT_VMAFAULT_BPF_H
#define BCCT_VMAFAULT_BPF_H
#include "bcct.bpf.h"

#define VMAFAULT_VM_HUGETLB 0x00400000   /* include/linux/mm.h, unchanged since 2.6 */

struct vmafault_vma {
	struct file *file;
	u64 flags;
	bool found;
};

static long vmafault_cb(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct vmafault_vma *v = data;

	v->file = BPF_CORE_READ(vma, vm_file);
	v->flags = BPF_CORE_READ(vma, vm_flags);
	v->found = true;
	return 0;
}

/* The vma of the current task holding addr; false when none does. */
static __always_inline bool vmafault_find(u64 addr, struct vmafault_vma *v)
{
	return !bpf_find_vma(bpf_get_current_task_btf(), addr, vmafault_cb, v, 0) && v->found;
}

static __always_inline void vmafault_from(struct vm_area_struct *vma, struct vmafault_vma *v)
{
	v->file = BPF_CORE_READ(vma, vm_file);
	v->flags = BPF_CORE_READ(vma, vm_flags);
	v->found = true;
}
#endif

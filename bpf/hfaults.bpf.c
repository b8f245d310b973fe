/* hfaults (BPF Performance Tools, ch. 7): huge page faults counted by process, as the book at
 * hugetlb_fault; else user faults in a hugetlb mapping at the user fault tracepoint
 * (bpf/vmafault.bpf.h). */
#include "vmafault.bpf.h"
#include "pidcomm.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct pidcomm_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int hfaults_count(void)
{
	struct pidcomm_key key = { .pid = bpf_get_current_pid_tgid() >> 32 };
	static const u64 zero;
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("kprobe/hugetlb_fault")
int BPF_KPROBE(fault_kprobe) { return hfaults_count(); }

SEC("raw_tp/page_fault_user")
int BPF_PROG(fault_raw, unsigned long address)
{
	struct vmafault_vma v = {};

	if (!vmafault_find(address, &v) || !(v.flags & VMAFAULT_VM_HUGETLB))
		return 0;
	return hfaults_count();
}

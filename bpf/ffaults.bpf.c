/* ffaults (BPF Performance Tools, ch. 7): page faults counted by the name of the file mapped
 * where they happened, as the book at handle_mm_fault(vma, ...); else at the user fault
 * tracepoint (bpf/vmafault.bpf.h). Faults on anonymous memory have no file: not counted. */
#include "vmafault.bpf.h"
#include "fs.bpf.h"

struct ffaults_key { char name[FS_NAME_LEN]; };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct ffaults_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int ffaults_count(const struct vmafault_vma *v)
{
	struct ffaults_key key = {};
	static const u64 zero;
	u64 *n;

	if (!v->file || !bcct_filter_current())
		return 0;
	fs_file_name(v->file, key.name, sizeof(key.name));
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("kprobe/handle_mm_fault")
int BPF_KPROBE(fault_kprobe, struct vm_area_struct *vma)
{
	struct vmafault_vma v = {};

	vmafault_from(vma, &v);
	return ffaults_count(&v);
}

SEC("raw_tp/page_fault_user")
int BPF_PROG(fault_raw, unsigned long address)
{
	struct vmafault_vma v = {};

	if (!vmafault_find(address, &v))
		return 0;
	return ffaults_count(&v);
}

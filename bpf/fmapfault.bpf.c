/* fmapfault (BPF Performance Tools, ch. 8): page faults on file mappings, counted by process
 * name and file name. The book probes filemap_fault, the fault handler of page-cache-backed
 * mappings (fentry, else kprobe, here). Kernels with neither: the filemap:mm_filemap_fault
 * tracepoint, which filemap_fault fires on entry once the page index is known to be inside the
 * file (a fault past the end, answered with SIGBUS, is not counted); it gives the mapping, not
 * the file, so the name is the inode's first dentry (one of a hard-linked file's names). */
#include "bcct.bpf.h"
#include "fs.bpf.h"
#include "fmapfault.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct fmapfault_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int count_fault(const struct dentry *d)
{
	struct fmapfault_key k = {};

	if (!d || !bcct_filter_current())
		return 0;
	bpf_get_current_comm(k.comm, sizeof(k.comm));
	bpf_probe_read_kernel_str(k.name, sizeof(k.name), BPF_CORE_READ(d, d_name.name));
	bcct_count_inc(&counts, &k);
	return 0;
}

static __always_inline int on_filemap_fault(struct vm_fault *vmf)
{
	return count_fault(BPF_CORE_READ(vmf, vma, vm_file, f_path.dentry));
}

SEC("fentry/filemap_fault")
int BPF_PROG(filemap_fault_fentry, struct vm_fault *vmf) { return on_filemap_fault(vmf); }

SEC("kprobe/filemap_fault")
int BPF_KPROBE(filemap_fault_kprobe, struct vm_fault *vmf) { return on_filemap_fault(vmf); }

/* mm_filemap_fault(struct address_space *mapping, pgoff_t index): the inode's first alias,
 * inode->i_dentry's first node being the dentry's d_u.d_alias. */
SEC("raw_tp/mm_filemap_fault")
int BPF_PROG(filemap_fault_raw, struct address_space *mapping)
{
	struct hlist_node *alias = BPF_CORE_READ(mapping, host, i_dentry.first);

	if (!alias)
		return 0;
	return count_fault((void *)alias - bpf_core_field_offset(struct dentry, d_u.d_alias));
}

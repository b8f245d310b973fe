/* mmapfiles (BPF Performance Tools, ch. 8): file mappings counted by file, with its directory
 * and that directory's parent, at do_mmap (kprobe) as the book. Without kprobes: the mmap
 * syscall with a file (not MAP_ANONYMOUS), the file from its fd; mappings the kernel makes
 * itself (execve's ELF loader, shmat) are missed then. */
#include "bcct.bpf.h"
#include "fs.bpf.h"
#include "syscalls.bpf.h"
#include "mmapfiles.h"

#define MMAPFILES_MAP_ANONYMOUS 0x20

const volatile unsigned int mmapfiles_self = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct mmapfiles_key);
	__type(value, u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct mmapfiles_key);
} scratch SEC(".maps");

static __always_inline int on_mmap(struct file *f)
{
	struct dentry *d, *dir1, *dir2;
	struct mmapfiles_key *k;
	u32 zero = 0;

	if (!f || bpf_get_current_pid_tgid() >> 32 == mmapfiles_self || !bcct_filter_current())
		return 0;
	if (!(k = bpf_map_lookup_elem(&scratch, &zero)))
		return 0;
	__builtin_memset(k, 0, sizeof(*k));
	d = BPF_CORE_READ(f, f_path.dentry);
	dir1 = BPF_CORE_READ(d, d_parent);
	dir2 = BPF_CORE_READ(dir1, d_parent);
	bpf_probe_read_kernel_str(k->name, sizeof(k->name), BPF_CORE_READ(d, d_name.name));
	bpf_probe_read_kernel_str(k->dir1, sizeof(k->dir1), BPF_CORE_READ(dir1, d_name.name));
	bpf_probe_read_kernel_str(k->dir2, sizeof(k->dir2), BPF_CORE_READ(dir2, d_name.name));
	bcct_count_inc(&counts, k);
	return 0;
}

SEC("kprobe/do_mmap")
int BPF_KPROBE(do_mmap_kprobe, struct file *f) { return on_mmap(f); }

BCCT_SYSCALL_NR(mmap);

/* mmap(addr, len, prot, flags, fd, off) */
static __always_inline int mmap_enter(const unsigned long *a)
{
	if ((a[3] & MMAPFILES_MAP_ANONYMOUS) || (int)a[4] < 0)
		return 0;
	return on_mmap(fs_fd_file((int)a[4]));
}

SEC("raw_tp/sys_enter")
int BPF_PROG(do_mmap__sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (!bcct_is_syscall(id, bcct_nr_mmap) || !bcct_syscall_args(regs, a))
		return 0;
	return mmap_enter(a);
}

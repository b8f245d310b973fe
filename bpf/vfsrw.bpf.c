/* vfsrw: VFS reads and writes counted (filetype, fsrwstat, writesync) or sized (vfssize) under a
 * key the applet composes (bpf/vfsrw.h). As the book's tools: kprobes on vfs_read, vfs_readv,
 * vfs_write, vfs_writev (and their returns for the sizes). Without kprobes: the syscalls that
 * reach them (read, pread64, readv, preadv[2], write, pwrite64, writev, pwritev[2]) at the raw
 * sys_enter/sys_exit hooks, the file from the fd; kernel-internal callers of vfs_read/vfs_write
 * are missed then. */
#include "bcct.bpf.h"
#include "fs.bpf.h"
#include "syscalls.bpf.h"
#include "vfsrw.h"

#define VFSRW_O_DSYNC 010000            /* O_SYNC includes it */
#define VFSRW_S_IFMT 0170000
#define VFSRW_S_IFREG 0100000
#define VFSRW_S_IFIFO 0010000

const volatile struct vfsrw_config vfsrw = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct vfsrw_key);
	__type(value, u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct vfsrw_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

/* vfssize: the call in flight per thread until it returns. */
struct vfsrw_call {
	struct file *file;
	u32 func;
};
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct vfsrw_call);
} calls SEC(".maps");

static __always_inline bool is_write(u32 func)
{
	return func == VFSRW_WRITE || func == VFSRW_WRITEV;
}

static __always_inline void make_key(struct vfsrw_key *k, struct file *f, u32 func)
{
	unsigned short mode = fs_file_mode(f);

	__builtin_memset(k, 0, sizeof(*k));
	if (vfsrw.keys & VFSRW_K_FUNC)
		k->func = func;
	if (vfsrw.keys & VFSRW_K_FTYPE)
		k->ftype = mode & VFSRW_S_IFMT;
	if (vfsrw.keys & VFSRW_K_SYNC)
		k->sync = !!(BPF_CORE_READ(f, f_flags) & VFSRW_O_DSYNC);
	if (vfsrw.keys & VFSRW_K_COMM)
		bpf_get_current_comm(k->comm, sizeof(k->comm));
	if (vfsrw.keys & VFSRW_K_FSTYPE) {
		fs_file_type_name(f, k->name, sizeof(k->name));
	} else if (vfsrw.keys & VFSRW_K_NAME) {
		if ((vfsrw.keys & VFSRW_K_FIFO) && (mode & VFSRW_S_IFMT) == VFSRW_S_IFIFO)
			__builtin_memcpy(k->name, "FIFO", 5);
		else
			fs_file_name(f, k->name, sizeof(k->name));
	}
}

static __always_inline int on_call(struct file *f, u32 func)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct vfsrw_key k;

	if (!f || (vfsrw.writes_only && !is_write(func)))
		return 0;
	if (bpf_get_current_pid_tgid() >> 32 == vfsrw.self || !bcct_filter_current())
		return 0;
	if (vfsrw.regular_only && (fs_file_mode(f) & VFSRW_S_IFMT) != VFSRW_S_IFREG)
		return 0;
	if (vfsrw.sizes) {
		struct vfsrw_call c = { .file = f, .func = func };

		bpf_map_update_elem(&calls, &tid, &c, BPF_ANY);
		return 0;
	}
	make_key(&k, f, func);
	bcct_count_inc(&counts, &k);
	return 0;
}

static __always_inline int on_return(long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct vfsrw_call *c = bpf_map_lookup_elem(&calls, &tid);
	struct vfsrw_key k;

	if (!c)
		return 0;
	if (ret >= 0) {
		make_key(&k, c->file, c->func);
		bcct_hist_add_log2(&hists, &k, ret);
	}
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

/* ---- kprobes, the book's ---- */
SEC("kprobe/vfs_read")
int BPF_KPROBE(vfs_read_kprobe, struct file *f) { return on_call(f, VFSRW_READ); }
SEC("kprobe/vfs_readv")
int BPF_KPROBE(vfs_readv_kprobe, struct file *f) { return on_call(f, VFSRW_READV); }
SEC("kprobe/vfs_write")
int BPF_KPROBE(vfs_write_kprobe, struct file *f) { return on_call(f, VFSRW_WRITE); }
SEC("kprobe/vfs_writev")
int BPF_KPROBE(vfs_writev_kprobe, struct file *f) { return on_call(f, VFSRW_WRITEV); }
SEC("kretprobe/vfs_read")
int BPF_KRETPROBE(vfs_read_ret_kretprobe, long ret) { return on_return(ret); }
SEC("kretprobe/vfs_readv")
int BPF_KRETPROBE(vfs_readv_ret_kretprobe, long ret) { return on_return(ret); }
SEC("kretprobe/vfs_write")
int BPF_KRETPROBE(vfs_write_ret_kretprobe, long ret) { return on_return(ret); }
SEC("kretprobe/vfs_writev")
int BPF_KRETPROBE(vfs_writev_ret_kretprobe, long ret) { return on_return(ret); }

/* ---- the fallback: every syscall reaching the four functions, as parts of vfs_read and
 * vfs_read_ret (kprobes work for all four functions or for none; the others are optional) ---- */
BCCT_SYSCALL_NR(read);
BCCT_SYSCALL_NR(pread64);
BCCT_SYSCALL_NR(readv);
BCCT_SYSCALL_NR(preadv);
BCCT_SYSCALL_NR(preadv2);
BCCT_SYSCALL_NR(write);
BCCT_SYSCALL_NR(pwrite64);
BCCT_SYSCALL_NR(writev);
BCCT_SYSCALL_NR(pwritev);
BCCT_SYSCALL_NR(pwritev2);

/* The VFS function syscall id reaches, or -1. */
static __always_inline int syscall_func(long id)
{
	if (bcct_is_syscall(id, bcct_nr_read) || bcct_is_syscall(id, bcct_nr_pread64))
		return VFSRW_READ;
	if (bcct_is_syscall(id, bcct_nr_write) || bcct_is_syscall(id, bcct_nr_pwrite64))
		return VFSRW_WRITE;
	if (bcct_is_syscall(id, bcct_nr_readv) || bcct_is_syscall(id, bcct_nr_preadv) ||
	    bcct_is_syscall(id, bcct_nr_preadv2))
		return VFSRW_READV;
	if (bcct_is_syscall(id, bcct_nr_writev) || bcct_is_syscall(id, bcct_nr_pwritev) ||
	    bcct_is_syscall(id, bcct_nr_pwritev2))
		return VFSRW_WRITEV;
	return -1;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(vfs_read__sys_enter_raw, struct pt_regs *regs, long id)
{
	int func = syscall_func(id);
	unsigned long a[6];

	if (func < 0 || (vfsrw.writes_only && !is_write(func)) || !bcct_syscall_args(regs, a))
		return 0;
	return on_call(fs_fd_file((int)a[0]), func);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(vfs_read_ret__sys_exit_raw, struct pt_regs *regs, long ret)
{
	if (syscall_func(bcct_syscall_exit_nr(regs)) < 0)
		return 0;
	return on_return(ret);
}

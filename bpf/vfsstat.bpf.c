/* vfsstat: calls of vfs_read, vfs_write, vfs_fsync_range, vfs_open and vfs_create (fentry,
 * else kprobes). Fallback: the syscalls that lead there, at raw_syscalls:sys_exit: the read and
 * write families and fsync/fdatasync unless the fd was bad (no VFS call then), successful opens,
 * and as creates the successful creat() calls and opens with O_CREAT (vfs_create itself is
 * reached by mknod, not by open: the fallback's CREATE counts something else). */
#include "bcct.bpf.h"
#include "fs.bpf.h"
#include "vfsstat.h"

#define NO_FD_ERR (-9)          /* -EBADF */
#define OPEN_CREAT 0100         /* O_CREAT on x86_64 and arm64 */

const volatile int read_nrs[FS_OP_SYSCALLS_MAX] = { [0 ... FS_OP_SYSCALLS_MAX - 1] = -1 };
const volatile int write_nrs[FS_OP_SYSCALLS_MAX] = { [0 ... FS_OP_SYSCALLS_MAX - 1] = -1 };
const volatile int fsync_nrs[FS_OP_SYSCALLS_MAX] = { [0 ... FS_OP_SYSCALLS_MAX - 1] = -1 };
const volatile int open_nrs[FS_OP_SYSCALLS_MAX] = { [0 ... FS_OP_SYSCALLS_MAX - 1] = -1 };
/* Which of those take flags where: open(path, flags), openat(dfd, path, flags); creat. */
const volatile int nr_open = -1, nr_openat = -1, nr_creat = -1;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VFSSTAT_MAX);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

static __always_inline int count(u32 stat)
{
	u64 *v;

	if (!bcct_filter_current())
		return 0;
	v = bpf_map_lookup_elem(&stats, &stat);
	if (v)
		(*v)++;
	return 0;
}

#define VFS_PROBE(probe, func, stat)						\
	SEC("fentry/" #func) int BPF_PROG(probe##_fentry) { return count(stat); }	\
	SEC("kprobe/" #func) int BPF_KPROBE(probe##_kprobe) { return count(stat); }

VFS_PROBE(read, vfs_read, VFSSTAT_READ)
VFS_PROBE(write, vfs_write, VFSSTAT_WRITE)
VFS_PROBE(fsync, vfs_fsync_range, VFSSTAT_FSYNC)
VFS_PROBE(open, vfs_open, VFSSTAT_OPEN)
VFS_PROBE(create, vfs_create, VFSSTAT_CREATE)

static __always_inline int fd_syscall(struct pt_regs *regs, long ret, const volatile int *nrs,
				      u32 stat)
{
	if (ret == NO_FD_ERR || !fs_syscall_in(bcct_syscall_nr(regs), nrs))
		return 0;
	return count(stat);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(read_raw, struct pt_regs *regs, long ret)
{
	return fd_syscall(regs, ret, read_nrs, VFSSTAT_READ);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(write_raw, struct pt_regs *regs, long ret)
{
	return fd_syscall(regs, ret, write_nrs, VFSSTAT_WRITE);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(fsync_raw, struct pt_regs *regs, long ret)
{
	return fd_syscall(regs, ret, fsync_nrs, VFSSTAT_FSYNC);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(open_raw, struct pt_regs *regs, long ret)
{
	if (ret < 0 || !fs_syscall_in(bcct_syscall_nr(regs), open_nrs))
		return 0;
	return count(VFSSTAT_OPEN);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(create_raw, struct pt_regs *regs, long ret)
{
	long nr = bcct_syscall_nr(regs), flags;

	if (ret < 0 || nr < 0)
		return 0;
	if (nr == nr_creat)
		return count(VFSSTAT_CREATE);
	if (nr == nr_open)
		flags = PT_REGS_PARM2_CORE_SYSCALL(regs);
	else if (nr == nr_openat)
		flags = PT_REGS_PARM3_CORE_SYSCALL(regs);
	else
		return 0;
	return flags & OPEN_CREAT ? count(VFSSTAT_CREATE) : 0;
}

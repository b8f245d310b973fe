/* filetop: reads and writes (calls and bytes) per thread and file. Exact: vfs_read/vfs_write
 * entry (fentry, else kprobe), bytes requested, as BCC and libbpf-tools count. Fallback: every
 * read- and write-family syscall at raw_syscalls:sys_exit, bytes transferred (the return value),
 * the file from the fd; it misses I/O the kernel does itself (sendfile, splice, io_uring). */
#include "bcct.bpf.h"
#include "fs.bpf.h"
#include "filetop.h"

const volatile bool all_files = false;                  /* -a: not only regular files */
const volatile int read_nrs[FS_OP_SYSCALLS_MAX] = { [0 ... FS_OP_SYSCALLS_MAX - 1] = -1 };
const volatile int write_nrs[FS_OP_SYSCALLS_MAX] = { [0 ... FS_OP_SYSCALLS_MAX - 1] = -1 };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILETOP_MAX_ENTRIES);
	__type(key, struct filetop_key);
	__type(value, struct filetop_val);
} counts SEC(".maps");

static const struct filetop_val zero_val;

static __always_inline int account(struct file *file, u64 bytes, bool is_read)
{
	struct filetop_key key = {};
	struct filetop_val *v;
	unsigned short mode;

	if (!file || !bcct_filter_current())
		return 0;
	/* I/O on a file without a name (an anonymous inode) is not shown, as in BCC. */
	key.name_len = BPF_CORE_READ(file, f_path.dentry, d_name.len);
	mode = fs_file_mode(file);
	if (key.name_len == 0 || (!all_files && fs_mode_type_letter(mode) != 'R'))
		return 0;
	key.tid = (u32)bpf_get_current_pid_tgid();
	key.ino = fs_file_ino(file);
	key.dev = fs_file_dev(file);
	key.rdev = BPF_CORE_READ(file, f_inode, i_rdev);
	key.type = fs_mode_type_letter(mode);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	fs_file_name(file, key.name, sizeof(key.name));
	v = bcct_lookup_or_init(&counts, &key, &zero_val);
	if (!v)
		return 0;
	if (is_read) {
		__sync_fetch_and_add(&v->reads, 1);
		__sync_fetch_and_add(&v->rbytes, bytes);
	} else {
		__sync_fetch_and_add(&v->writes, 1);
		__sync_fetch_and_add(&v->wbytes, bytes);
	}
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(read_fentry, struct file *file, char *buf, size_t count)
{
	return account(file, count, true);
}

SEC("kprobe/vfs_read")
int BPF_KPROBE(read_kprobe, struct file *file, char *buf, size_t count)
{
	return account(file, count, true);
}

SEC("fentry/vfs_write")
int BPF_PROG(write_fentry, struct file *file, const char *buf, size_t count)
{
	return account(file, count, false);
}

SEC("kprobe/vfs_write")
int BPF_KPROBE(write_kprobe, struct file *file, const char *buf, size_t count)
{
	return account(file, count, false);
}

/* The fallback: one syscall of the family, its fd from the saved registers. A failed call is
 * counted with no bytes, as vfs_read counts a call that then fails. */
static __always_inline int syscall_exit(struct pt_regs *regs, long ret, bool is_read)
{
	long nr = bcct_syscall_nr(regs);
	int fd;

	if (!fs_syscall_in(nr, is_read ? read_nrs : write_nrs))
		return 0;
	fd = (int)PT_REGS_PARM1_CORE_SYSCALL(regs);
	return account(fs_fd_file(fd), ret > 0 ? ret : 0, is_read);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(read_raw, struct pt_regs *regs, long ret)
{
	return syscall_exit(regs, ret, true);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(write_raw, struct pt_regs *regs, long ret)
{
	return syscall_exit(regs, ret, false);
}

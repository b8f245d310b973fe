/* The fsslower/fsdist families, BPF side: times read, write, open and fsync of one file system
 * (its superblock magic in fsop_magic) and hands each finished operation to fsop_done(), which
 * the including object defines (fsslower: an event above a threshold; fsdist: a histogram).
 *
 * Two ways to time an operation, chosen per operation by user space (core/family/fs.c,
 * fs_ops_plan):
 *   - the file system's own function (ext4_file_read_iter, xfs_file_fsync, ...), as BCC and
 *     libbpf-tools: fentry/fexit or kprobe/kretprobe programs with no target in their section,
 *     attached at run time to whichever function the running kernel has;
 *   - without kprobes and fentry: the syscalls that reach that function (read, pread64, ...,
 *     openat, fsync), for fds whose file lives on the file system. This times the whole syscall
 *     (fd lookup, VFS, page-cache copy) rather than the file system's function, and misses
 *     what reaches the file system without a syscall (mmap faults, io_uring, nfsd).
 * Filtering on the magic also keeps the shared generic_file_read_iter/generic_file_open of
 * older kernels to the one file system. */
#ifndef BCCT_FSOP_BPF_H
#define BCCT_FSOP_BPF_H
#include "fs.bpf.h"
#include "syscalls.bpf.h"
#include "fsop.h"

const volatile unsigned long fsop_magic = 0;
/* bcct's own pid: its output to a file on the traced file system would be traced, printed,
 * and traced again. */
const volatile unsigned int fsop_self = 0;
/* fileslower: any file system (fsop_magic 0), the read/write entry programs on vfs_read and
 * vfs_write (whose first argument is the file, not a kiocb), and regular files only unless -a. */
const volatile bool fsop_vfs = false;
const volatile bool fsop_regular_only = false;

struct fsop_start {
	u64 ts;
	u64 offset;
	u64 count;              /* read/write: the bytes asked for (fileslower's BYTES) */
	struct file *file;      /* NULL for a syscall-level open: the file exists at exit */
	u32 op;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct fsop_start);
} fsop_starts SEC(".maps");

static __always_inline int fsop_done(void *ctx, const struct fsop_start *s, struct file *file,
				     u64 delta_ns, long ret);

#define FSOP_S_IFMT 0170000
#define FSOP_S_IFREG 0100000

static __always_inline bool fsop_file_wanted(struct file *file)
{
	if (fsop_magic && fs_file_magic(file) != fsop_magic)
		return false;
	return !fsop_regular_only || (fs_file_mode(file) & FSOP_S_IFMT) == FSOP_S_IFREG;
}

static __always_inline int fsop_begin_count(u32 op, struct file *file, u64 offset, u64 count)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct fsop_start s = { .op = op, .file = file, .offset = offset, .count = count };

	if (!bcct_filter_current() || bpf_get_current_pid_tgid() >> 32 == fsop_self)
		return 0;
	if (file && !fsop_file_wanted(file))
		return 0;
	s.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&fsop_starts, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int fsop_begin(u32 op, struct file *file, u64 offset)
{
	return fsop_begin_count(op, file, offset, 0);
}

/* file: the operation's file when the start did not know it (a syscall open's new fd). */
static __always_inline int fsop_end(void *ctx, long ret, struct file *file)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct fsop_start *s = bpf_map_lookup_elem(&fsop_starts, &tid);
	u64 now = bpf_ktime_get_ns();

	if (!s)
		return 0;
	if (!file)
		file = s->file;
	if (file && fsop_file_wanted(file) && now > s->ts)
		fsop_done(ctx, s, file, now - s->ts, ret);
	bpf_map_delete_elem(&fsop_starts, &tid);
	return 0;
}

/* ---- the file system's functions: attached at run time (core/family/fs.c, fs_ops_attach) ---- */

static __always_inline struct file *fsop_kiocb_file(struct kiocb *iocb)
{
	return BPF_CORE_READ(iocb, ki_filp);
}

/* read_iter/write_iter(struct kiocb *, struct iov_iter *), or with fsop_vfs
 * vfs_read/vfs_write(struct file *, char *, size_t, loff_t *). */
static __always_inline int fsop_rw_kprobe(u32 op, void *arg0, u64 arg2)
{
	if (fsop_vfs)
		return fsop_begin_count(op, arg0, 0, arg2);
	return fsop_begin(op, fsop_kiocb_file(arg0), BPF_CORE_READ((struct kiocb *)arg0, ki_pos));
}
SEC("kprobe")
int BPF_KPROBE(fsop_read_kprobe, void *arg0, void *arg1, u64 arg2)
{ return fsop_rw_kprobe(FSOP_READ, arg0, arg2); }
SEC("kprobe")
int BPF_KPROBE(fsop_write_kprobe, void *arg0, void *arg1, u64 arg2)
{ return fsop_rw_kprobe(FSOP_WRITE, arg0, arg2); }
/* open(struct inode *, struct file *) */
SEC("kprobe")
int BPF_KPROBE(fsop_open_kprobe, struct inode *inode, struct file *file)
{ return fsop_begin(FSOP_OPEN, file, 0); }
/* fsync(struct file *, loff_t start, loff_t end, int datasync) */
SEC("kprobe")
int BPF_KPROBE(fsop_fsync_kprobe, struct file *file)
{ return fsop_begin(FSOP_FSYNC, file, 0); }
/* One return program serves every operation: the start says which. */
SEC("kretprobe")
int BPF_KRETPROBE(fsop_kretprobe, long ret)
{ return fsop_end(ctx, ret, NULL); }

SEC("fentry")
int BPF_PROG(fsop_read_fentry, struct kiocb *iocb)
{ return fsop_begin(FSOP_READ, fsop_kiocb_file(iocb), BPF_CORE_READ(iocb, ki_pos)); }
SEC("fexit")
int BPF_PROG(fsop_read_fexit, struct kiocb *iocb, struct iov_iter *to, long ret)
{ return fsop_end(ctx, ret, NULL); }
SEC("fentry")
int BPF_PROG(fsop_write_fentry, struct kiocb *iocb)
{ return fsop_begin(FSOP_WRITE, fsop_kiocb_file(iocb), BPF_CORE_READ(iocb, ki_pos)); }
SEC("fexit")
int BPF_PROG(fsop_write_fexit, struct kiocb *iocb, struct iov_iter *from, long ret)
{ return fsop_end(ctx, ret, NULL); }
SEC("fentry")
int BPF_PROG(fsop_open_fentry, struct inode *inode, struct file *file)
{ return fsop_begin(FSOP_OPEN, file, 0); }
SEC("fexit")
int BPF_PROG(fsop_open_fexit, struct inode *inode, struct file *file, int ret)
{ return fsop_end(ctx, ret, NULL); }
SEC("fentry")
int BPF_PROG(fsop_fsync_fentry, struct file *file)
{ return fsop_begin(FSOP_FSYNC, file, 0); }
SEC("fexit")
int BPF_PROG(fsop_fsync_fexit, struct file *file, long long start, long long end, int datasync,
	     int ret)
{ return fsop_end(ctx, ret, NULL); }

/* ---- the fallback: the syscalls, for fds on the file system ----
 * One raw_tp program on sys_enter and one on sys_exit dispatch on the syscall number
 * (bpf/syscalls.bpf.h): released at once on Ctrl-C, where the 32 per-syscall tracepoints took
 * 1.2-1.5 s to detach one by one. Those tracepoints stay as the parts, for kernels without raw_tp. */

#define FSOP_SYS_NR(name, op, args) BCCT_SYSCALL_NR(name);
FSOP_SYSCALLS(FSOP_SYS_NR)
#undef FSOP_SYS_NR
/* Bit FSOP_SYS_<name>: the syscall is timed (set by user space; the verifier drops the rest). */
const volatile unsigned int fsop_sys_timed = 0;

static __always_inline int fsop_fd_begin(u32 op, int fd, long long pos, u64 count)
{
	struct file *f = fs_fd_file(fd);

	if (!f)
		return 0;
	return fsop_begin_count(op, f, pos >= 0 ? pos : BPF_CORE_READ(f, f_pos), count);
}

/* args: the syscall's arguments; only those `how` names are read (a tracepoint program that
 * reads past the end of its record is refused at attach). count is the bytes asked for, or a
 * vector length for the v variants, which only the per-fs tools time and they do not print it;
 * fsync's offset is 0, as BCC's fsync entry and the fentry path record it. */
static __always_inline int fsop_sys_begin(u32 op, u32 how, const unsigned long *args)
{
	switch (how) {
	case FSOP_ARGS_OPEN:
		return fsop_begin(FSOP_OPEN, NULL, 0);
	case FSOP_ARGS_FD:
		return fsop_fd_begin(op, (int)args[0], 0, 0);
	case FSOP_ARGS_RW:
		return fsop_fd_begin(op, (int)args[0], -1, args[2]);
	default:
		return fsop_fd_begin(op, (int)args[0], (long long)args[3], args[2]);
	}
}

/* Opens: the file is known at exit, from the returned fd. */
static __always_inline int fsop_sys_end(void *ctx, u32 how, long ret)
{
	return fsop_end(ctx, ret, how == FSOP_ARGS_OPEN && ret >= 0 ? fs_fd_file(ret) : NULL);
}

/* The timed syscall numbered id: its operation and how its arguments are read; false for any
 * other syscall. */
static __always_inline bool fsop_sys_of(long id, u32 *op, u32 *how)
{
#define FSOP_SYS_MATCH(name, o, a)							\
	if ((fsop_sys_timed & (1u << FSOP_SYS_##name)) && bcct_is_syscall(id, bcct_nr_##name)) { \
		*op = o;								\
		*how = a;								\
		return true;								\
	}
	FSOP_SYSCALLS(FSOP_SYS_MATCH)
#undef FSOP_SYS_MATCH
	return false;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long args[6];
	u32 op, how;

	if (!fsop_sys_of(id, &op, &how) || !bcct_syscall_args(regs, args))
		return 0;
	return fsop_sys_begin(op, how, args);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	u32 op, how;

	if (!fsop_sys_of(bcct_syscall_exit_nr(regs), &op, &how))
		return 0;
	return fsop_sys_end(ctx, how, ret);
}

/* The parts: sys_enter__read_tp, sys_exit__read_tp, ... each turned on by user space alone. */
#define FSOP_SYS_PART(name, op, how)							\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int sys_enter__##name##_tp(struct bcct_sys_enter *ctx)				\
	{ return fsop_sys_begin(op, how, ctx->args); }					\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int sys_exit__##name##_tp(struct bcct_sys_exit *ctx)				\
	{ return fsop_sys_end(ctx, how, ctx->ret); }
FSOP_SYSCALLS(FSOP_SYS_PART)
#undef FSOP_SYS_PART
#endif

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

/* ---- the fallback: the syscalls, for fds on the file system (probes read_enter, ...) ---- */

/* count: args[2], the bytes asked for by read/write/pread64/pwrite64 (a vector length for the
 * v variants, which only the per-fs tools time and they do not print it). */
static __always_inline int fsop_fd_begin(u32 op, int fd, long long pos, u64 count)
{
	struct file *f = fs_fd_file(fd);

	if (!f)
		return 0;
	return fsop_begin_count(op, f, pos >= 0 ? pos : BPF_CORE_READ(f, f_pos), count);
}

/* Each tracepoint program reads only its own syscall's arguments: the kernel refuses to attach
 * one that reads past the end of the record. */
/* fsync/fdatasync (fd): offset 0, as BCC's fsync entry and the fentry path record it. */
#define FSOP_FD_SYSCALL(name, op)							\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int name##_enter_tp(struct bcct_sys_enter *ctx)					\
	{ return fsop_fd_begin(op, (int)ctx->args[0], 0, 0); }				\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int name##_exit_tp(struct bcct_sys_exit *ctx) { return fsop_end(ctx, ctx->ret, NULL); }
/* read/write (fd, buf, count), readv/writev (fd, vec, vlen). */
#define FSOP_RW_SYSCALL(name, op)							\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int name##_enter_tp(struct bcct_sys_enter *ctx)					\
	{ return fsop_fd_begin(op, (int)ctx->args[0], -1, ctx->args[2]); }		\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int name##_exit_tp(struct bcct_sys_exit *ctx) { return fsop_end(ctx, ctx->ret, NULL); }
/* pread64/pwrite64 (fd, buf, count, pos); preadv/pwritev (fd, vec, vlen, pos_l, pos_h);
 * preadv2/pwritev2 (..., flags), pos -1 for the current position. */
#define FSOP_POS_SYSCALL(name, op)							\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int name##_enter_tp(struct bcct_sys_enter *ctx)					\
	{ return fsop_fd_begin(op, (int)ctx->args[0], (long long)ctx->args[3], ctx->args[2]); }	\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int name##_exit_tp(struct bcct_sys_exit *ctx) { return fsop_end(ctx, ctx->ret, NULL); }
/* Opens: the file is known at exit, from the returned fd. */
#define FSOP_OPEN_SYSCALL(name)								\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int name##_enter_tp(void *ctx) { return fsop_begin(FSOP_OPEN, NULL, 0); }	\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int name##_exit_tp(struct bcct_sys_exit *ctx)					\
	{ return fsop_end(ctx, ctx->ret, ctx->ret >= 0 ? fs_fd_file(ctx->ret) : NULL); }

FSOP_RW_SYSCALL(read, FSOP_READ)
FSOP_POS_SYSCALL(pread64, FSOP_READ)
FSOP_RW_SYSCALL(readv, FSOP_READ)
FSOP_POS_SYSCALL(preadv, FSOP_READ)
FSOP_POS_SYSCALL(preadv2, FSOP_READ)
FSOP_RW_SYSCALL(write, FSOP_WRITE)
FSOP_POS_SYSCALL(pwrite64, FSOP_WRITE)
FSOP_RW_SYSCALL(writev, FSOP_WRITE)
FSOP_POS_SYSCALL(pwritev, FSOP_WRITE)
FSOP_POS_SYSCALL(pwritev2, FSOP_WRITE)
FSOP_OPEN_SYSCALL(open)
FSOP_OPEN_SYSCALL(openat)
FSOP_OPEN_SYSCALL(openat2)
FSOP_OPEN_SYSCALL(creat)
FSOP_FD_SYSCALL(fsync, FSOP_FSYNC)
FSOP_FD_SYSCALL(fdatasync, FSOP_FSYNC)
#endif

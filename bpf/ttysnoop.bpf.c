/* ttysnoop: the text written to one tty, as BCC's: at tty_write (fentry, else kprobe), the
 * iov_iter the tty layer got (a plain buffer before 5.11). Fallback: write() and writev() at
 * raw_syscalls:sys_enter on an fd whose file is that tty; it misses what the kernel writes to
 * the tty itself (the line discipline's echo of typed input) and writes through other
 * syscalls (io_uring, sendfile, splice).
 *
 * The tty is matched by its device number (the file's inode i_rdev, which user space took from
 * stat(2) of the device), not by inode number as BCC does: an inode number alone also matches
 * unrelated files on other file systems, which the syscall fallback sees. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "fs.bpf.h"
#include "mirror.bpf.h"

const volatile unsigned int target_rdev = 0;         /* the tty's kernel dev_t */
/* tty_write(file, buf, count, ppos) before 5.11, tty_write(iocb, from) since: user space reads
 * the prototype in the kernel's BTF. */
const volatile bool tty_write_iter = true;

static __always_inline bool is_target(const struct file *f)
{
	return f && (fs_file_mode(f) & 0170000) == 0020000 &&   /* S_IFCHR */
	       BPF_CORE_READ(f, f_inode, i_rdev) == target_rdev;
}

/* ---- tty_write -------------------------------------------------------------------------- */

/* Before 6.4 the iovec array was iov_iter->iov; 5.11-5.13 had a `type` word of ITER_* bits
 * with the direction in bit 0 instead of iter_type. */
struct iov_iter___old {
	unsigned int type;
	const struct iovec *iov;
} __attribute__((preserve_access_index));

#define TTYSNOOP_OLD_ITER_IOVEC 4

static __always_inline int tty_write_args(void *ctx, void *arg0, void *arg1, u64 arg2)
{
	struct kiocb *iocb = arg0;
	struct iov_iter *from = arg1;
	struct iov_iter___old *old = arg1;
	struct mirror_write *w;
	const struct iovec *iov;

	if (!tty_write_iter) {   /* tty_write(struct file *, const char __user *, size_t, ...) */
		if (!is_target(arg0) || !(w = mirror_begin()))
			return 0;
		mirror_add(w, arg1, arg2);
		return mirror_send(ctx, w);
	}
	if (!is_target(BPF_CORE_READ(iocb, ki_filp)) || !(w = mirror_begin()))
		return 0;
	if (bpf_core_field_exists(from->iter_type)) {
		u8 type = BPF_CORE_READ(from, iter_type);

		if (bpf_core_enum_value_exists(enum iter_type, ITER_UBUF) &&
		    type == bpf_core_enum_value(enum iter_type, ITER_UBUF)) {
			mirror_add(w, BPF_CORE_READ(from, ubuf), BPF_CORE_READ(from, count));
			return mirror_send(ctx, w);
		}
		if (type != bpf_core_enum_value(enum iter_type, ITER_IOVEC))
			return 0;
	} else if ((BPF_CORE_READ(old, type) & ~1u) != TTYSNOOP_OLD_ITER_IOVEC) {
		return 0;
	}
	if (bpf_core_field_exists(from->__iov))
		iov = BPF_CORE_READ(from, __iov);
	else
		iov = BPF_CORE_READ(old, iov);
	/* The array is the kernel's copy of the user's iovecs. */
	mirror_add_iovec(w, iov, BPF_CORE_READ(from, nr_segs), false);
	return mirror_send(ctx, w);
}

SEC("fentry/tty_write")
int BPF_PROG(tty_write_fentry, void *a0, void *a1, u64 a2)
{
	return tty_write_args(ctx, a0, a1, a2);
}

SEC("kprobe/tty_write")
int BPF_KPROBE(tty_write_kprobe, void *a0, void *a1, u64 a2)
{
	return tty_write_args(ctx, a0, a1, a2);
}

/* ---- the fallback: write(2), writev(2) ---------------------------------------------------- */

BCCT_SYSCALL_NR(write);
BCCT_SYSCALL_NR(writev);

SEC("raw_tp/sys_enter")
int BPF_PROG(tty_write_raw, struct pt_regs *regs, long id)
{
	bool vector = bcct_is_syscall(id, bcct_nr_writev);
	struct mirror_write *w;
	unsigned long args[6];

	if (!vector && !bcct_is_syscall(id, bcct_nr_write))
		return 0;
	if (!bcct_syscall_args(regs, args) || !is_target(fs_fd_file((int)args[0])) ||
	    !(w = mirror_begin()))
		return 0;
	if (vector)
		mirror_add_iovec(w, (const struct iovec *)args[1], args[2], true);
	else
		mirror_add(w, (const void *)args[1], args[2]);
	return mirror_send(ctx, w);
}

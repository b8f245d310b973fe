/* The fsslower/fsdist families, types shared by BPF programs and user space. The operation
 * numbers are core/family/fs.h's enum fs_op (checked there). */
#ifndef BCCT_FSOP_H
#define BCCT_FSOP_H
#include "fs.h"

#define FSOP_READ 0
#define FSOP_WRITE 1
#define FSOP_OPEN 2
#define FSOP_FSYNC 3
#define FSOP_COUNT 4            /* operations timed (getattr and commit are not, yet) */

/* How the fallback reads a timed syscall's arguments. */
#define FSOP_ARGS_RW 0          /* (fd, buf, count): read/write; (fd, vec, vlen): readv/writev */
#define FSOP_ARGS_POS 1         /* (fd, buf, count, pos): pread64/pwrite64; preadv[2]/pwritev[2]:
				 * (fd, vec, vlen, pos_l, ...), pos -1 for the current position */
#define FSOP_ARGS_FD 2          /* (fd): fsync, fdatasync */
#define FSOP_ARGS_OPEN 3        /* the file is the returned fd */

/* Every syscall the fallback may time: X(name, operation, FSOP_ARGS_*). User space turns each
 * on in fsop_sys_timed, bit FSOP_SYS_<name>, when its operation falls back (core/family/fs.c,
 * fs_ops_syscalls_timed); the per-fs tools time them all, fileslower read/pread64/write/pwrite64. */
#define FSOP_SYSCALLS(X)					\
	X(read, FSOP_READ, FSOP_ARGS_RW)			\
	X(pread64, FSOP_READ, FSOP_ARGS_POS)			\
	X(readv, FSOP_READ, FSOP_ARGS_RW)			\
	X(preadv, FSOP_READ, FSOP_ARGS_POS)			\
	X(preadv2, FSOP_READ, FSOP_ARGS_POS)			\
	X(write, FSOP_WRITE, FSOP_ARGS_RW)			\
	X(pwrite64, FSOP_WRITE, FSOP_ARGS_POS)			\
	X(writev, FSOP_WRITE, FSOP_ARGS_RW)			\
	X(pwritev, FSOP_WRITE, FSOP_ARGS_POS)			\
	X(pwritev2, FSOP_WRITE, FSOP_ARGS_POS)			\
	X(open, FSOP_OPEN, FSOP_ARGS_OPEN)			\
	X(openat, FSOP_OPEN, FSOP_ARGS_OPEN)			\
	X(openat2, FSOP_OPEN, FSOP_ARGS_OPEN)			\
	X(creat, FSOP_OPEN, FSOP_ARGS_OPEN)			\
	X(fsync, FSOP_FSYNC, FSOP_ARGS_FD)			\
	X(fdatasync, FSOP_FSYNC, FSOP_ARGS_FD)

enum fsop_sys {
#define FSOP_SYS_BIT(name, op, args) FSOP_SYS_##name,
	FSOP_SYSCALLS(FSOP_SYS_BIT)
#undef FSOP_SYS_BIT
	FSOP_SYS_COUNT
};

/* fsslower: one operation slower than the threshold. */
struct fsslower_event {
	unsigned long long end_ns;      /* ktime at completion */
	unsigned long long delta_ns;
	unsigned long long offset;      /* bytes: the file position (read/write) */
	long long size;                 /* read/write: the return value (bytes, or -errno) */
	unsigned long long count;       /* read/write: the bytes asked for (fileslower) */
	unsigned int pid;
	unsigned int tid;               /* fileslower's TID column */
	unsigned int op;                /* FSOP_* */
	char comm[16];
	char file[FS_NAME_LEN];         /* the dentry's name, as BCC's tools print it */
};
#endif

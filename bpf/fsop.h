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

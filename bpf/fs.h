/* File-system family, types shared by BPF programs and user space: a file's path as the bounded
 * dentry walk of bpf/fs.bpf.h collects it, leaf first, for core/family/fs.h to join. */
#ifndef BCCT_FS_H
#define BCCT_FS_H

#define FS_NAME_LEN 64          /* one component; longer names are cut (BCC's tools cut at 32) */
#define FS_PATH_DEPTH 16        /* components walked before giving up (a power of two) */

struct fs_pathbuf {
	unsigned int depth;                     /* components in comp[] */
	unsigned int truncated;                 /* the walk stopped before the root */
	char comp[FS_PATH_DEPTH][FS_NAME_LEN];  /* leaf first */
};

/* The syscalls of one fs_op (core/family/fs.h fs_op_syscalls) by number, for programs at
 * raw_syscalls:sys_exit: -1 fills the unused slots. */
#define FS_OP_SYSCALLS_MAX 8
#endif

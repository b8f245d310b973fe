/* Types shared by bpf/mmapsnoop.bpf.c and applets/mmapsnoop.c. */
#ifndef BCCT_MMAPSNOOP_H
#define BCCT_MMAPSNOOP_H
#include "bcct.h"
#include "fs.h"

/* One mmap() of a file, at its entry, as the book's mmap_data_t. */
struct mmapsnoop_event {
	unsigned long long len, prot, flags, off;
	unsigned int pid, pad;
	char comm[BCCT_TASK_COMM_LEN];
	char file[FS_NAME_LEN];   /* the fd's dentry name ("" for a bad fd) */
};
#endif

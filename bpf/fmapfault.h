/* fmapfault: the key shared by bpf/fmapfault.bpf.c and applets/fmapfault.c. */
#ifndef BCCT_FMAPFAULT_H
#define BCCT_FMAPFAULT_H
#include "fs.h"

struct fmapfault_key {
	char comm[16];                  /* the faulting task */
	char name[FS_NAME_LEN];         /* the mapped file's name (its dentry's) */
};
#endif

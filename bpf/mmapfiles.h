/* mmapfiles: the key shared by bpf/mmapfiles.bpf.c and applets/mmapfiles.c. */
#ifndef BCCT_MMAPFILES_H
#define BCCT_MMAPFILES_H
#include "fs.h"

struct mmapfiles_key {
	char dir2[FS_NAME_LEN];         /* the directory's parent ("/" at the top) */
	char dir1[FS_NAME_LEN];         /* the file's directory */
	char name[FS_NAME_LEN];
};
#endif

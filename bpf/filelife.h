/* filelife: types shared by bpf/filelife.bpf.c and applets/filelife.c. */
#ifndef BCCT_FILELIFE_H
#define BCCT_FILELIFE_H
#include "fs.h"

/* A file is known by its name and its directory's name, both as the dentries hold them: the
 * kprobes see dentries, the syscall fallback sees a path at unlink, and both can give these two
 * names (a dentry pointer, BCC's key, cannot be had from a path). */
struct filelife_key {
	char name[FS_NAME_LEN];
	char parent[FS_NAME_LEN];
};

struct filelife_event {
	unsigned long long ts;          /* ktime at deletion */
	unsigned long long age_ns;
	unsigned int pid;
	char comm[16];
	char file[FS_NAME_LEN];
};
#endif

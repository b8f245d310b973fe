#ifndef STATSNOOP_H
#define STATSNOOP_H
#define STATSNOOP_PATH_MAX 256    /* as BCC: NAME_MAX */

enum statsnoop_syscall {
	SYS_STATFS = 1,
	SYS_NEWSTAT,
	SYS_STATX,
	SYS_NEWFSTAT,
	SYS_NEWFSTATAT,
	SYS_NEWLSTAT,
};

struct statsnoop_event {
	unsigned long long ts;    /* ns, at return */
	unsigned int pid;
	int ret;
	int type;                 /* enum statsnoop_syscall */
	int fd;                   /* newfstat: the fd; *at calls: the dirfd; else AT_FDCWD */
	char comm[16];
	char path[STATSNOOP_PATH_MAX];   /* empty for newfstat */
};
#endif

#ifndef MOUNTSNOOP_H
#define MOUNTSNOOP_H
/* The calls mountsnoop shows: BCC's mount and umount, and the new mount API. */
enum mountsnoop_call {
	MNT_CALL_MOUNT,
	MNT_CALL_UMOUNT,
	MNT_CALL_FSOPEN,
	MNT_CALL_FSCONFIG,
	MNT_CALL_FSMOUNT,
	MNT_CALL_MOVE_MOUNT,
	MNT_CALL_OPEN_TREE,
	MNT_CALL_MOUNT_SETATTR,
	MNT_CALLS,
};

#define MOUNTSNOOP_STRS 4       /* string arguments per call at most (mount: 4) */
#define MOUNTSNOOP_STR_LEN 256  /* bytes of each; longer ones are cut (BCC: 412) */

struct mountsnoop_event {
	unsigned int pid, tid, ppid;
	unsigned int mnt_ns;        /* inode number of the caller's mount namespace */
	unsigned int call;          /* enum mountsnoop_call */
	int ret;
	unsigned long long args[6]; /* the raw arguments; strings are in str[] */
	/* mount_setattr: the struct mount_attr's attr_set and attr_clr, read from the caller. */
	unsigned long long attr_set, attr_clr;
	char comm[16], pcomm[16];
	char str[MOUNTSNOOP_STRS][MOUNTSNOOP_STR_LEN];
};
#endif

#ifndef OPENSNOOP_H
#define OPENSNOOP_H
#define OPENSNOOP_SLOT 256        /* one name, NUL-terminated (BCC: NAME_MAX) */
#define OPENSNOOP_MAX_PARTS 32    /* the path as given, then up to 31 directory names (-F) */

struct opensnoop_event {
	unsigned long long ts;    /* ns, at return */
	unsigned int pid;
	unsigned int tid;
	unsigned int uid;
	int ret;
	int flags;
	unsigned int mode;
	unsigned int depth;       /* directory names after name[0], innermost first (-F) */
	char comm[16];
	/* name[0]: the path as passed; name[1..depth]: the directory it is relative to, walked up
	 * to the root. Only the first depth + 1 slots are sent. */
	char name[OPENSNOOP_MAX_PARTS][OPENSNOOP_SLOT];
};
#endif

#ifndef SYNCSNOOP_H
#define SYNCSNOOP_H
/* The sync family, in the order syncsnoop names them. */
enum syncsnoop_call {
	SYNC_SYNC,
	SYNC_SYNCFS,
	SYNC_FSYNC,
	SYNC_FDATASYNC,
	SYNC_MSYNC,
	SYNC_FILE_RANGE,
	SYNC_CALLS,
};

struct syncsnoop_event {
	unsigned long long ts;    /* ns since boot, at entry */
	unsigned int pid;
	unsigned int call;        /* enum syncsnoop_call */
	char comm[16];
};
#endif

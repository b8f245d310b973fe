/* Types shared by bpf/deadlock.bpf.c and applets/deadlock.c. */
#ifndef BCCT_DEADLOCK_H
#define BCCT_DEADLOCK_H
#include "pmutex.h"

/* Mutexes one thread may hold at once that are tracked (BCC's limit). */
#define DEADLOCK_MAX_HELD 16

/* Edge (mutex1, mutex2): a thread called lock(mutex2) while holding mutex1. */
struct deadlock_edge_key {
	__u64 mutex1, mutex2;
};

struct deadlock_edge {
	struct pmutex_site site1;       /* where mutex1 was locked */
	struct pmutex_site site2;       /* where mutex2 was locked while mutex1 was held */
	__u32 tid;
	char comm[BCCT_TASK_COMM_LEN];
};

/* Who created a thread, and where. */
struct deadlock_parent {
	__u32 tid;
	__u32 pad;
	struct pmutex_site site;
	char comm[BCCT_TASK_COMM_LEN];
};
#endif

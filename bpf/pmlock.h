/* Types shared by bpf/pmlock.bpf.c and applets/pmlock.c. */
#ifndef BCCT_PMLOCK_H
#define BCCT_PMLOCK_H
#include "pmutex.h"

/* One histogram: a mutex, where it was locked (pmlock) or unlocked (pmheld), a process. */
struct pmlock_key {
	__u64 mutex;
	struct pmutex_site site;
	__u32 pid;
	char comm[BCCT_TASK_COMM_LEN];
	__u32 pad;
};
#endif

/* Types shared by bpf/llcstat.bpf.c and applets/llcstat.c. */
#ifndef BCCT_LLCSTAT_H
#define BCCT_LLCSTAT_H
#include "bcct.h"

struct llcstat_key {
	__u32 cpu;
	__u32 pid;
	__u32 tid;              /* the pid again without -t */
	char comm[BCCT_TASK_COMM_LEN];
};
#endif

/* Types shared by bpf/mlock.bpf.c and applets/mlock.c. */
#ifndef BCCT_MLOCK_H
#define BCCT_MLOCK_H
#include "bcct.h"

struct mlock_key {
	int kernel_stack_id;
	unsigned int pid;
	char comm[BCCT_TASK_COMM_LEN];
};
#endif

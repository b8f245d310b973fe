/* Types shared by bpf/threaded.bpf.c and applets/threaded.c. */
#ifndef BCCT_THREADED_H
#define BCCT_THREADED_H
#include "bcct.h"

struct threaded_key {
	unsigned int pid;
	unsigned int tid;
	char comm[BCCT_TASK_COMM_LEN];
};
#endif

/* Types shared by bpf/offcpuhist.bpf.c and applets/offcpuhist.c. */
#ifndef BCCT_OFFCPUHIST_H
#define BCCT_OFFCPUHIST_H
#include "bcct.h"

struct offcpuhist_key {
	int kernel_stack_id;
	int user_stack_id;
	unsigned int pid;     /* tgid: whose user addresses */
	unsigned int tid;
	char comm[BCCT_TASK_COMM_LEN];
};
#endif

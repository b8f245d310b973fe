#ifndef OFFWAKETIME_H
#define OFFWAKETIME_H
#include "offcpu.h"

/* Blocked time summed per (target's off-CPU stacks, waker's stacks): counts[key] = us. */
struct offwaketime_key {
	char waker[16];
	char target[16];
	int w_k_stack_id;
	int w_u_stack_id;
	int t_k_stack_id;
	int t_u_stack_id;
	unsigned int t_pid;             /* thread ids, printed as BCC does */
	unsigned int t_tgid;            /* processes, for user symbols */
	unsigned int w_pid;
	unsigned int w_tgid;
};
#endif

#ifndef OFFCPUTIME_H
#define OFFCPUTIME_H
#define OFFCPUTIME_STACK_DEPTH 127      /* frames per stack (core/stacks.h BCCT_STACK_DEPTH) */

/* Blocked time summed per stack: counts[key] = microseconds off CPU. */
struct offcputime_key {
	unsigned int pid;               /* thread id, printed as BCC does */
	unsigned int tgid;              /* process, for user symbols */
	int user_stack_id;
	int kernel_stack_id;
	char comm[16];
};
#endif

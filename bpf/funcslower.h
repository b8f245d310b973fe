#ifndef FUNCSLOWER_H
#define FUNCSLOWER_H
#include "ustack.h"
#define FUNCSLOWER_MAX_ARGS 6           /* -a: entry arguments kept (registers) */
#define FUNCSLOWER_STACK_DEPTH 127      /* frames per stack (core/stacks.h BCCT_STACK_DEPTH) */

/* One call at or above the threshold (BCC's data_t). */
struct funcslower_event {
	unsigned long long id;          /* attach cookie: the target's index over all functions */
	unsigned long long tgid_pid;
	unsigned long long start_ns;
	unsigned long long duration_ns;
	unsigned long long retval;
	unsigned long long args[FUNCSLOWER_MAX_ARGS];
	int user_stack_id;              /* -U; < 0 when absent; taken at entry, as BCC */
	int kernel_stack_id;            /* -K; < 0 when absent; taken at entry, as BCC */
	char comm[16];
	struct bcct_entry_caller caller; /* -U of user functions: the function's caller */
};
#endif

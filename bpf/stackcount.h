#ifndef STACKCOUNT_H
#define STACKCOUNT_H
#include "ustack.h"
#define STACKCOUNT_STACK_DEPTH 127      /* frames per stack (core/stacks.h BCCT_STACK_DEPTH) */
#define STACKCOUNT_NO_PID 0xffffffffu   /* BCC: kernel stacks aggregated over every process */

/* One stack: counts[key] = hits. As BCC's key_t: the process (tgid) and its name with -P or -p;
 * otherwise an empty name, and the tgid only where user stacks need it for symbols (user space
 * then merges the processes' counts of one stack), else STACKCOUNT_NO_PID. */
struct stackcount_key {
	unsigned int tgid;
	int kernel_stack_id;
	int user_stack_id;
	char comm[16];
	unsigned int pad;
	struct bcct_entry_caller caller;  /* user functions, fp user stacks: the function's caller */
};

/* --unwind=dwarf: one event per hit, user stack unwound and counted in user space. */
struct stackcount_event {
	struct stackcount_key key;      /* user_stack_id unused (-1), caller 0: the copy has it */
	struct bcct_ustack ustack;      /* variable size: sent up to ustack.data[ustack.size] */
};
#endif

#ifndef JNISTACKS_H
#define JNISTACKS_H
#include "ustack.h"

/* One count: a process and the user stack that called a jni_NewObject* function. */
struct jnistacks_key {
	unsigned int pid;
	int user_stack_id;      /* < 0: not read (see core/stacks.h) */
	struct bcct_entry_caller caller;   /* taken at the function's entry (bpf/ustack.h) */
	char comm[16];
};
#endif

#ifndef PROFILE_H
#define PROFILE_H
#include "ustack.h"
#define PROFILE_MAX_TARGETS 16          /* -p / -L list length */
#define PROFILE_STACK_DEPTH 127         /* frames per stack (core/stacks.h BCCT_STACK_DEPTH) */

/* One sampled stack: counts[key] = samples. */
struct profile_key {
	unsigned int pid;                /* tgid, as BCC's profile */
	int user_stack_id;
	int kernel_stack_id;
	char comm[16];
};

/* --unwind=dwarf: one event per sample, user stack unwound in user space. */
struct profile_event {
	struct profile_key key;         /* user_stack_id unused (-1) */
	unsigned int pad;
	struct bcct_ustack ustack;      /* variable size: sent up to ustack.data[ustack.size] */
};
#endif

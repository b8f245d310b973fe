#ifndef OFFCPUTIME_H
#define OFFCPUTIME_H
#include "ustack.h"
#include "offcpu.h"

/* Blocked time summed per stack: counts[key] = microseconds off CPU. */
struct offcputime_key {
	unsigned int pid;               /* thread id, printed as BCC does */
	unsigned int tgid;              /* process, for user symbols */
	int user_stack_id;
	int kernel_stack_id;
	char comm[16];
};

/* --unwind=dwarf: the stack is sent when the thread leaves the CPU (OUT, with its stack copy,
 * unwound in user space), its blocked time when it comes back (IN: only head, delta_us). */
enum { OFFCPUTIME_EV_OUT = 1, OFFCPUTIME_EV_IN = 2 };
struct offcputime_event_head {
	unsigned int kind;
	unsigned int tid;
	unsigned long long delta_us;    /* IN */
};
struct offcputime_event {
	struct offcputime_event_head h; /* IN events are only this */
	struct offcputime_key key;      /* OUT; user_stack_id unused */
	unsigned int pad;
	struct bcct_ustack ustack;      /* OUT, variable size: up to ustack.data[ustack.size] */
};
#endif

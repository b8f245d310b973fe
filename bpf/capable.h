#ifndef CAPABLE_H
#define CAPABLE_H
#define CAPABLE_UNKNOWN (-1)        /* audit/insetid: the probe does not see cap_capable's opts */

struct capable_event {
	unsigned long long ts;       /* bpf_ktime_get_ns() of the check */
	unsigned int tgid;
	unsigned int pid;            /* thread */
	unsigned int uid;
	int cap;
	int audit;                   /* 1, 0, or CAPABLE_UNKNOWN */
	int insetid;                 /* 1, 0, or CAPABLE_UNKNOWN */
	int kernel_stack_id;
	int user_stack_id;
	char comm[16];
};
#endif

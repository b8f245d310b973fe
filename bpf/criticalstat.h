#ifndef CRITICALSTAT_H
#define CRITICALSTAT_H
#define CRITICALSTAT_STACK_DEPTH 127    /* frames per stack (core/stacks.h BCCT_STACK_DEPTH) */

/* One long section: where it was entered and left (the tracepoints' ip and parent_ip). */
struct criticalstat_event {
	unsigned long long time_ns;
	unsigned long long id;          /* pid << 32 | tid */
	unsigned long long start_ip, start_parent, end_ip, end_parent;
	long long stack_id;
	unsigned int cpu;
	char comm[16];
};
#endif

#ifndef NAPTIME_H
#define NAPTIME_H
/* One voluntary sleep, at the sleep call's entry. */
struct naptime_event {
	unsigned long long ts;      /* ns since boot, at entry */
	unsigned long long sleep_ns; /* the time asked for (for an absolute monotonic sleep: what
				      * remained of it at entry) */
	unsigned int pid, ppid;
	char comm[16], pcomm[16];
};
#endif

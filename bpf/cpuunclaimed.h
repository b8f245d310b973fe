/* Types shared by bpf/cpuunclaimed.bpf.c and applets/cpuunclaimed.c. */
#ifndef BCCT_CPUUNCLAIMED_H
#define BCCT_CPUUNCLAIMED_H

/* One sample of one CPU, as BCC's data_t. */
struct cpuunclaimed_event {
	unsigned long long ts;    /* bpf_ktime_get_ns() */
	unsigned long long cpu;
	unsigned long long len;   /* runnable tasks of the CPU, the running one included */
};
#endif

#ifndef FUNCLATENCY_H
#define FUNCLATENCY_H
/* Histogram key: the function (target index, when one histogram per function is wanted) and
 * the process (BCC keys user-function histograms by process when no -p is given). On kernels
 * without attach cookies, kernel functions are keyed by their kprobe's address instead (ip), which
 * user space names from kallsyms, as BCC's funclatency does. */
struct funclatency_key {
	unsigned int idx;
	unsigned int pid;
	unsigned long long ip;
};

/* BCC's "avg" array: total latency in nanoseconds and number of calls. */
struct funclatency_avg {
	unsigned long long total_ns;
	unsigned long long count;
};

#define FUNCLATENCY_MAX_DEPTH 64   /* -l upper bound */
#endif

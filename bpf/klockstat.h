#ifndef KLOCKSTAT_H
#define KLOCKSTAT_H
#define KLOCKSTAT_STACK_DEPTH 127       /* frames per stack (core/stacks.h BCCT_STACK_DEPTH) */

/* Wait times per stack of the contended acquisition, in ns: stats[kernel stack id]. */
struct klockstat_stat {
	unsigned long long count;
	unsigned long long total_ns;
	unsigned long long max_ns;
};
#endif

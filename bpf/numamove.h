/* Types shared by bpf/numamove.bpf.c and applets/numamove.c. */
#ifndef BCCT_NUMAMOVE_H
#define BCCT_NUMAMOVE_H

/* Per-interval counters: NUMA-misplaced migrations and the nanoseconds they took. */
enum numamove_counter { NUMAMOVE_COUNT, NUMAMOVE_NS, NUMAMOVE_COUNTERS };
#endif

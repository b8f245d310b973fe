/* Types shared by bpf/compactsnoop.bpf.c and applets/compactsnoop.c. */
#ifndef BCCT_COMPACTSNOOP_H
#define BCCT_COMPACTSNOOP_H
#include "bcct.h"

/* BCC's fragmentation index when fragmentation_index() was not seen (manual compaction, or
 * no kprobes): printed as -1.000. */
#define COMPACTSNOOP_NO_FRAGINDEX (-1000)

/* One compaction of one zone, as BCC's data_t. */
struct compactsnoop_event {
	unsigned long long delta_ns;   /* mm_compaction_begin to mm_compaction_end */
	unsigned long long ts;         /* its end, bpf_ktime_get_ns() */
	unsigned int pid, tid;
	int nid, idx, order, sync;
	int fragindex;                 /* fragmentation_index() x 1000 (-e) */
	int min, low, high, free;      /* the zone's watermarks and free pages at its start (-e) */
	int status;                    /* enum compact_result */
	int kernel_stack_id;
	char comm[BCCT_TASK_COMM_LEN];
};
#endif

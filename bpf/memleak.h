#ifndef MEMLEAK_H
#define MEMLEAK_H
#define MEMLEAK_STACK_DEPTH 127         /* frames per stack (core/stacks.h BCCT_STACK_DEPTH) */

/* allocs[address]: one outstanding allocation (user: the returned pointer; kernel: the
 * object, or the page frame number of mm_page_alloc). */
struct memleak_alloc {
	unsigned long long size;
	unsigned long long timestamp_ns;
	int stack_id;
	int pad;
};

/* combined_allocs[stack id]: what is outstanding from one stack (--combined-only). */
struct memleak_combined {
	unsigned long long total_size;
	unsigned long long number_of_allocs;
};

/* -t: one event per allocator call, the lines BCC printed with bpf_trace_printk. */
enum memleak_kind {
	MEMLEAK_ALLOC_ENTER,    /* "alloc entered, size = %u" */
	MEMLEAK_ALLOC_EXIT,     /* "alloc exited, size = %lu, result = %lx" */
	MEMLEAK_FREE_ENTER,     /* "free entered, address = %lx, size = %lu" */
};

struct memleak_event {
	unsigned long long ts;
	unsigned long long size;
	unsigned long long addr;
	unsigned int pid;
	unsigned int tid;
	unsigned int cpu;
	unsigned int kind;
	char comm[16];
};
#endif

/* Types shared by bpf/kmem.bpf.c and applets/kmem.c. */
#ifndef BCCT_KMEM_H
#define BCCT_KMEM_H
#include "bcct.h"

struct kmem_key {
	char comm[BCCT_TASK_COMM_LEN];
};

/* Sorted by bytes (core/table.h: the first u64). */
struct kmem_value {
	unsigned long long bytes;
	unsigned long long count;
};
#endif

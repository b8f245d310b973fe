/* Types of the pthread mutex probe layer (bpf/pmutex.bpf.h, core/family/pmutex.h) shared by
 * deadlock, pmlock and pmheld. */
#ifndef BCCT_PMUTEX_H
#define BCCT_PMUTEX_H
#include "bcct.h"
#include "ustack.h"

/* Where a lock or unlock was called: the user stack id (pmutex_stacks) taken by the uprobe at
 * the function's first instruction, and the words that put the caller back into it (the
 * frame-pointer walk at a function's entry skips its caller: bpf/ustack.h). */
struct pmutex_site {
	int stack_id;
	__u32 pad;
	struct bcct_entry_caller caller;
};
#endif

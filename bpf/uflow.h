#ifndef BCCT_UFLOW_H
#define BCCT_UFLOW_H
#include "rt.h"

#define UFLOW_RETURN (1ULL << 63)       /* in depth: the event is a return */

struct uflow_event {
	unsigned long long ts;
	unsigned long long depth;       /* the call's depth in its thread, UFLOW_RETURN for returns */
	unsigned int pid, tid, cpu, pad;
	struct rt_method m;
};
#endif

#ifndef BCCT_UTHREADS_H
#define BCCT_UTHREADS_H
#include "rt.h"

/* The cookie's bytes (rt.h's encoding): the name's pointer and length arguments, the runtime
 * id's and native id's, and 1 on stop probes. */
enum { UTHREADS_CK_NAME, UTHREADS_CK_NAME_LEN, UTHREADS_CK_ID, UTHREADS_CK_NATIVE, UTHREADS_CK_STOP };

enum uthreads_type { UTHREADS_PTHREAD, UTHREADS_START, UTHREADS_STOP };

struct uthreads_event {
	unsigned long long ts;
	unsigned long long runtime_id;  /* pthread: the start routine */
	unsigned long long native_id;   /* pthread: the new thread's id */
	unsigned int type, pid;
	char name[RT_STR_LEN];
};
#endif

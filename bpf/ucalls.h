#ifndef BCCT_UCALLS_H
#define BCCT_UCALLS_H
#include "rt.h"

struct ucalls_info {
	unsigned long long calls;
	unsigned long long total_ns;        /* -L only */
};
#endif

#ifndef TCPRESET_H
#define TCPRESET_H
#include "net.h"

/* A reset sent in answer to a segment: the segment's ends, "s" the local one (its destination). */
struct tcpreset_event {
	unsigned long long ts_ns;
	struct net_tuple t;
};
#endif

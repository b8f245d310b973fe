/* tcptracer: TCP connect, accept and close events, shared with user space. */
#ifndef BCCT_TCPTRACER_H
#define BCCT_TCPTRACER_H
#include "net.h"

enum tcptracer_type {
	TCPTRACER_CONNECT = 1,          /* BCC's TCP_EVENT_TYPE_* values */
	TCPTRACER_ACCEPT = 2,
	TCPTRACER_CLOSE = 3,
};

struct tcptracer_event {
	unsigned long long ts_ns;
	struct net_tuple tuple;         /* s: local end; netns always filled */
	unsigned int pid, type;
	char comm[16];
};
#endif

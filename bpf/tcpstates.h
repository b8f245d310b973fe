#ifndef TCPSTATES_H
#define TCPSTATES_H
#include "net.h"

struct tcpstates_event {
	unsigned long long ts_ns;       /* monotonic, at the change */
	unsigned long long skaddr;      /* the socket's address: BCC's SKADDR, an identity */
	unsigned long long span_us;     /* time in oldstate; 0 when its start was not seen */
	unsigned int pid;               /* current task: often not the socket's owner (softirq) */
	int oldstate, newstate;
	struct net_tuple tuple;         /* sport: the local port */
	char comm[16];
};
#endif

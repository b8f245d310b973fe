#ifndef TCPCONNECT_H
#define TCPCONNECT_H
#include "net.h"

struct tcpconnect_event {
	unsigned long long ts_ns;       /* monotonic, at connect's return */
	unsigned int pid, uid;
	struct net_tuple tuple;         /* sport: the local port */
	char comm[16];
};

#endif

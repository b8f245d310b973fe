#ifndef TCPACCEPT_H
#define TCPACCEPT_H
#include "net.h"

struct tcpaccept_event {
	unsigned long long ts_ns;       /* monotonic, at accept's return */
	unsigned int pid;
	struct net_tuple tuple;         /* sport: the local (listening) port */
	char comm[16];
};
#endif

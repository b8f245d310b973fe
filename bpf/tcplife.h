#ifndef TCPLIFE_H
#define TCPLIFE_H
#include "net.h"

struct tcplife_event {
	unsigned long long ts_us;       /* monotonic, at close */
	unsigned long long span_us;     /* lifespan */
	unsigned long long rx_b, tx_b;
	unsigned int pid;
	struct net_tuple tuple;         /* sport: the local port */
	char comm[16];
};
#endif

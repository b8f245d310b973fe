#ifndef TCPCONNLAT_H
#define TCPCONNLAT_H
#include "net.h"

struct tcpconnlat_event {
	unsigned long long ts_ns;       /* monotonic, at ESTABLISHED */
	unsigned long long delta_us;    /* SYN_SENT to ESTABLISHED */
	unsigned int pid;
	struct net_tuple tuple;         /* sport: the local port */
	char comm[16];
};
#endif

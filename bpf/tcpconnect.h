#ifndef TCPCONNECT_H
#define TCPCONNECT_H
#include "net.h"

struct tcpconnect_event {
	unsigned long long ts_ns;       /* monotonic, at connect's return */
	unsigned int pid, uid;
	struct net_tuple tuple;         /* sport: the local port */
	char comm[16];
};

/* -c: connects counted per (source, destination, port), as BCC's ipv4_count/ipv6_count. */
struct tcpconnect_flow {
	unsigned char saddr[16], daddr[16];
	unsigned short family, dport;
};
#endif

#ifndef TCPRETRANS_H
#define TCPRETRANS_H
#include "net.h"

enum tcpretrans_type { TCPRETRANS_RETRANSMIT = 1, TCPRETRANS_TLP = 2 };   /* BCC's R and L */

struct tcpretrans_event {
	unsigned long long ts_ns;
	unsigned int pid;               /* current task: usually not the socket's owner (timers) */
	unsigned int seq;               /* the segment's first sequence number; 0 for a TLP */
	int state;
	int type;                       /* enum tcpretrans_type */
	struct net_tuple tuple;         /* sport: the local port */
};

#endif

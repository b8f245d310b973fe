#ifndef TCPDROP_H
#define TCPDROP_H
#include "net.h"

struct tcpdrop_event {
	unsigned long long ts_ns;
	unsigned int pid;               /* current task: often none in particular (softirq) */
	int state;                      /* of the socket the packet belonged to */
	int kernel_stack_id;
	unsigned int reason;            /* enum skb_drop_reason of this kernel; 0 from tcp_drop */
	unsigned char tcpflags;
	struct net_tuple tuple;         /* the packet's: s = its source, d = its destination */
};
#endif

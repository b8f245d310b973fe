/* tcptop: TCP bytes per connection and process, shared with user space. */
#ifndef BCCT_TCPTOP_H
#define BCCT_TCPTOP_H

#define TCPTOP_MAX_ENTRIES 10240

#include "net.h"

/* BCC's session key: process and both ends. */
struct tcptop_key {
	struct net_flow flow;
	unsigned int pid;
	char comm[16];
	unsigned int pad2;
};

struct tcptop_val {
	unsigned long long sent, received;      /* bytes */
};
#endif

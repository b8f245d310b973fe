/* tcptop: TCP bytes per connection and process, shared with user space. */
#ifndef BCCT_TCPTOP_H
#define BCCT_TCPTOP_H

#define TCPTOP_MAX_ENTRIES 10240

/* BCC's session key: process and both ends (ports in host order, addresses in network order). */
struct tcptop_key {
	unsigned char saddr[16], daddr[16];
	unsigned short family, lport, dport, pad;
	unsigned int pid;
	char comm[16];
	unsigned int pad2;
};

struct tcptop_val {
	unsigned long long sent, received;      /* bytes */
};
#endif

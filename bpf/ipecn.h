#ifndef IPECN_H
#define IPECN_H

/* An inbound IP packet marked ECN "congestion experienced". */
struct ipecn_event {
	unsigned long long ts_ns;
	unsigned char saddr[16];        /* network order; IPv4 in the first 4 bytes */
	unsigned short family;
};
#endif

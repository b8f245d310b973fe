/* tcprtt: histograms of TCP smoothed RTT, shared with user space. */
#ifndef BCCT_TCPRTT_H
#define BCCT_TCPRTT_H

enum tcprtt_by { TCPRTT_ALL, TCPRTT_LADDR, TCPRTT_RADDR };   /* -b, -B */

/* A histogram's key: the address it is split by (all zero: one histogram for all). */
struct tcprtt_key {
	unsigned char addr[16];         /* network order; IPv4 in the first 4 bytes */
	unsigned short family;          /* 0 for all addresses */
	unsigned short pad[3];
};

/* -e: the sum and count behind each histogram's average. */
struct tcprtt_total {
	unsigned long long sum, count;
};
#endif

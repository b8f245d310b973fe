#ifndef TCPLIFE_H
#define TCPLIFE_H
#define TCPLIFE_MAX_PORTS 16            /* -L / -D list length */

struct tcplife_event {
	unsigned long long ts_us;       /* monotonic, at close */
	unsigned long long span_us;     /* lifespan */
	unsigned long long rx_b, tx_b;
	unsigned int pid;
	unsigned short family;          /* AF_INET or AF_INET6 */
	unsigned short lport, dport;
	unsigned char saddr[16], daddr[16];
	char comm[16];
};
#endif

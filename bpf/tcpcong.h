/* tcpcong: time TCP flows spend in each congestion-control state, shared with user space. */
#ifndef BCCT_TCPCONG_H
#define BCCT_TCPCONG_H

#define TCPCONG_STATES 5        /* TCP_CA_Open, Disorder, CWR, Recovery, Loss */

/* Keyed by struct net_flow (bpf/net.h). */

struct tcpcong_stat {
	unsigned long long us[TCPCONG_STATES];  /* time spent in each state, microseconds */
	unsigned long long changes;
	unsigned long long last_ns;             /* when the current state began */
	unsigned int state;                     /* the current state */
	unsigned int pad;
};
#endif

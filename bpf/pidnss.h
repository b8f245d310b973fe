/* Types shared by bpf/pidnss.bpf.c and applets/pidnss.c. */
#ifndef BCCT_PIDNSS_H
#define BCCT_PIDNSS_H

#define PIDNSS_NODENAME_LEN 65   /* __NEW_UTS_LEN + 1 */

/* The PID namespace (and its UTS node name) of the task that left the CPU for a task of
 * another PID namespace. */
struct pidnss_key {
	unsigned int pidns;
	char nodename[PIDNSS_NODENAME_LEN];
};
#endif

/* A process and its name as a map key, for counts by process (swapin, hfaults), printed by
 * core's table_print_pid_comm_counts (core/table.h). */
#ifndef BCCT_PIDCOMM_H
#define BCCT_PIDCOMM_H
#include "bcct.h"

struct pidcomm_key {
	unsigned int pid;
	char comm[BCCT_TASK_COMM_LEN];
};
#endif

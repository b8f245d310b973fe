#ifndef RUNQSLOWER_H
#define RUNQSLOWER_H
struct runqslower_event {
	char task[16];                  /* the task that waited */
	char prev_task[16];             /* the task it replaced on the CPU (-P) */
	unsigned long long delta_us;
	unsigned long long ts;          /* bpf_ktime_get_ns() at the switch: the JSON event time */
	int pid;                        /* thread IDs, as BCC's "TID" column */
	int prev_pid;
};
#endif

#ifndef SIGSNOOP_H
#define SIGSNOOP_H
struct sigsnoop_event {
	int pid;            /* sender tgid */
	int tpid;           /* target as given to kill/tkill/tgkill, or the target task's pid */
	int sig;
	int ret;            /* syscall result (kill mode), or siginfo errno (signal_generate) */
	char comm[16];      /* sender */
	char tcomm[16];     /* target (signal_generate only) */
	unsigned long long ts;   /* bpf_ktime_get_ns() when sent: the JSON event time */
};
#endif

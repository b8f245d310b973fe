#ifndef EXITSNOOP_H
#define EXITSNOOP_H
struct exitsnoop_event {
	unsigned long long start_time;   /* task->start_time, monotonic ns */
	unsigned long long exit_time;    /* bpf_ktime_get_ns() at exit */
	int pid;                         /* tgid */
	int tid;
	int ppid;
	int exit_code;                   /* task->exit_code: status << 8, or signal | 0x80 core */
	char comm[16];
};
#endif

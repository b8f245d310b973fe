#ifndef THREADSNOOP_H
#define THREADSNOOP_H
struct threadsnoop_event {
	unsigned long long ts;      /* bpf_ktime_get_ns() at the call */
	unsigned long long start;   /* the new thread's start routine */
	unsigned int pid;           /* the creating process */
	unsigned int pad;
	char comm[16];
};
#endif

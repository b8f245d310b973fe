#ifndef EXECSNOOP_H
#define EXECSNOOP_H
#define EXECSNOOP_ARGSIZE 128            /* longest single argument copied */
#define EXECSNOOP_MAX_ARGS 60            /* --max-args upper bound */
#define EXECSNOOP_ARGS_BUF (EXECSNOOP_ARGSIZE * EXECSNOOP_MAX_ARGS)

struct execsnoop_event {
	unsigned long long ts;   /* bpf_ktime_get_ns() when exec returned: the JSON event time */
	int pid;
	int ppid;
	unsigned int uid;
	int retval;
	int args_count;          /* > max_args when arguments were cut */
	unsigned int args_size;
	int cpu;                 /* where exec returned (-C) */
	char comm[16];
	char pcomm[16];          /* the parent's comm (-M) */
	char args[EXECSNOOP_ARGS_BUF];   /* NUL-separated: filename, argv[1], ... */
};
#endif

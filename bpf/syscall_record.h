#ifndef SYSCALL_RECORD_H
#define SYSCALL_RECORD_H
/* One syscall call as one event: its arguments taken at the entry, sent with its result at the
 * exit (bpf/syscall_record.bpf.h). `call` is the applet's own index of the syscall. */
struct syscall_record {
	unsigned long long ts;          /* bpf_ktime_get_ns() at the return */
	unsigned long long args[3];
	long long ret;
	unsigned int pid, tid;
	unsigned int uid;               /* the caller's uid at the entry */
	unsigned int call;
	char comm[16];
};
#endif

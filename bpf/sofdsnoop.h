#ifndef SOFDSNOOP_H
#define SOFDSNOOP_H
/* The most descriptors one SCM_RIGHTS message can carry (the kernel's SCM_MAX_FD). */
#define SOFDSNOOP_MAX_FD 253

enum sofdsnoop_action { SOFDSNOOP_SEND, SOFDSNOOP_RECV };

struct sofdsnoop_event {
	unsigned long long ts;       /* bpf_ktime_get_ns() */
	unsigned int pid, tid;
	int action;                  /* enum sofdsnoop_action */
	int sock_fd;                 /* the socket's fd in the caller; -1 when unknown */
	int fd_cnt;                  /* descriptors in fd[], at most SOFDSNOOP_MAX_FD */
	char comm[16];
	int fd[SOFDSNOOP_MAX_FD];    /* sent: the sender's numbers; received: the receiver's */
};
#endif

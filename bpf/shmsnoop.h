#ifndef SHMSNOOP_H
#define SHMSNOOP_H
enum shmsnoop_sys { SHMSNOOP_SHMGET, SHMSNOOP_SHMAT, SHMSNOOP_SHMDT, SHMSNOOP_SHMCTL };

struct shmsnoop_event {
	unsigned long long ts;       /* bpf_ktime_get_ns() at the return */
	unsigned long long args[3];  /* shmget: key, size, shmflg; shmat: shmid, shmaddr, shmflg;
					shmdt: shmaddr; shmctl: shmid, cmd, buf */
	long long ret;
	unsigned int pid, tid, sys, pad;
	char comm[16];
};
#endif

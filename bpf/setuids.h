#ifndef SETUIDS_H
#define SETUIDS_H
enum setuids_call { SETUIDS_SETUID, SETUIDS_SETFSUID, SETUIDS_SETRESUID };

struct setuids_event {
	unsigned long long ts;
	unsigned int pid;
	unsigned int tid;
	unsigned int uid;           /* the caller's uid before the call */
	unsigned int call;          /* enum setuids_call */
	int args[3];                /* uid, or ruid, euid, suid (-1: unchanged) */
	int ret;                    /* setfsuid: the previous fsuid */
	char comm[16];
};
#endif

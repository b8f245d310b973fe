#ifndef OOMKILL_H
#define OOMKILL_H
struct oomkill_event {
	unsigned long long ts;      /* bpf_ktime_get_ns() of the kill: the JSON event time */
	unsigned long long pages;   /* oom_kill_process: the pages the OOM killer weighed (its
				       totalpages); mark_victim: the victim's resident pages */
	int fpid;                   /* the task whose allocation triggered the kill (tgid) */
	int tpid;                   /* the victim */
	char fcomm[16];
	char tcomm[16];
};
#endif

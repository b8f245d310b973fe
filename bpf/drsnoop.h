#ifndef DRSNOOP_H
#define DRSNOOP_H
struct drsnoop_event {
	unsigned long long ts;            /* bpf_ktime_get_ns() at the end of the reclaim */
	unsigned long long delta_ns;      /* its latency */
	unsigned long long nr_reclaimed;  /* pages */
	unsigned long long free_pages;    /* -v: NR_FREE_PAGES when it began */
	unsigned int pid, tid, uid, pad;
	char comm[16];
};
#endif

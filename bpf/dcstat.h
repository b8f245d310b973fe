/* dcstat and dcsnoop: dcache lookups, shared with user space. */
#ifndef BCCT_DCSTAT_H
#define BCCT_DCSTAT_H

/* dcstat's counters, BCC's columns. */
enum dcstat_stat {
	DCSTAT_REFS,            /* lookup_fast calls: a component looked up in the dcache */
	DCSTAT_SLOW,            /* d_lookup calls: the fast path did not find it */
	DCSTAT_MISS,            /* d_lookup returned NULL */
	DCSTAT_MAX,
};

#define DCSNOOP_NAME_LEN 64     /* BCC's MAX_FILE_LEN */

enum dcsnoop_type { DCSNOOP_MISS, DCSNOOP_REFERENCE };

struct dcsnoop_event {
	unsigned long long ts_ns;
	unsigned int pid;
	unsigned int type;
	char comm[16];
	char name[DCSNOOP_NAME_LEN];
};
#endif

#ifndef BCCT_DBSLOWER_H
#define BCCT_DBSLOWER_H

#define DBSLOWER_QUERY_LEN 256          /* BCC's */

struct dbslower_event {
	unsigned long long start_ts;
	unsigned long long duration_ns;
	unsigned int pid, pad;
	char query[DBSLOWER_QUERY_LEN];
};
#endif

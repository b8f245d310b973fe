#ifndef GETHOSTLATENCY_H
#define GETHOSTLATENCY_H
#define GETHOSTLATENCY_HOST_LEN 80   /* BCC's host[80] */
#define GETHOSTLATENCY_COMM_LEN 16

struct gethostlatency_event {
	unsigned long long ts;           /* the return */
	unsigned long long delta_ns;
	unsigned int pid;
	char comm[GETHOSTLATENCY_COMM_LEN];
	char host[GETHOSTLATENCY_HOST_LEN];
};
#endif

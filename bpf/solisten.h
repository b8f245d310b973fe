#ifndef SOLISTEN_H
#define SOLISTEN_H
struct solisten_event {
	unsigned long long ts_ns;
	unsigned int pid;
	int backlog;
	unsigned int netns;
	unsigned short family, port;   /* port in host order */
	unsigned char addr[16];        /* network order */
	char comm[16];
};
#endif

#ifndef MDFLUSH_H
#define MDFLUSH_H
#define MDFLUSH_DISK_LEN 32     /* DISK_NAME_LEN */

struct mdflush_event {
	unsigned long long ts;
	unsigned int pid;
	char comm[16];
	char disk[MDFLUSH_DISK_LEN];
};
#endif

#ifndef MODSNOOP_H
#define MODSNOOP_H
struct modsnoop_event {
	unsigned long long ts;
	unsigned int pid;
	unsigned int uid;
	char comm[16];
	char name[56];              /* MODULE_NAME_LEN */
};
#endif

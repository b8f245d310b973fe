#ifndef BIOTOP_H
#define BIOTOP_H
#define BIOTOP_MAX_ENTRIES 10240

/* One row: a process, a direction and a disk, as BCC's info_t. */
struct biotop_key {
	unsigned int pid;       /* 0 when the start of the I/O was not seen */
	unsigned int write;     /* BCC's rwflag */
	unsigned int dev;       /* kernel dev_t: major << 20 | minor */
	unsigned int pad;
	char comm[16];          /* "" when the start was not seen */
};

struct biotop_val {
	unsigned long long bytes;
	unsigned long long ns;  /* issue to completion, summed */
	unsigned long long io;
};
#endif

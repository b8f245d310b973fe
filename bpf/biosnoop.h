#ifndef BIOSNOOP_H
#define BIOSNOOP_H
#define BIOSNOOP_DISK_LEN 32

struct biosnoop_event {
	char comm[16];                  /* issuing task; "?" when not seen */
	char disk[BIOSNOOP_DISK_LEN];   /* gendisk name; "" from classic tracepoints */
	unsigned long long ts;          /* completion, ns */
	unsigned long long delta;       /* issue to completion, ns */
	unsigned long long qdelta;      /* queued to issue, ns (-Q) */
	unsigned long long sector;
	unsigned int len;               /* bytes */
	unsigned int dev;               /* kernel dev_t: major << 20 | minor */
	unsigned int pid;
	char rwflag;                    /* 'W' or 'R', as BCC */
	char pattern;                   /* -P: 'S' sequential, 'R' random, '?' first seen */
};
#endif

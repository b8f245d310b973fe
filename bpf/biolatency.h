#ifndef BIOLATENCY_H
#define BIOLATENCY_H
#define BIOLATENCY_DISK_LEN 32

/* One histogram per key: all zero, or the disk (-D) or the request flags (-F). */
struct biolatency_key {
	unsigned int dev;                       /* kernel dev_t: major << 20 | minor */
	unsigned int flags;                     /* cmd_flags, BCC's bit layout */
	char disk[BIOLATENCY_DISK_LEN];         /* gendisk name; "" from classic tracepoints */
};
#endif

/* filetop: reads and writes per thread and file, shared with user space. */
#ifndef BCCT_FILETOP_H
#define BCCT_FILETOP_H

#define FILETOP_NAME_LEN 32     /* BCC's DNAME_INLINE_LEN: longer names end in "..." */
#define FILETOP_MAX_ENTRIES 10240

struct filetop_key {
	unsigned long long ino;
	unsigned int dev;
	unsigned int rdev;
	unsigned int tid;
	unsigned int name_len;          /* the whole name's length, may exceed FILETOP_NAME_LEN */
	char comm[16];
	char name[FILETOP_NAME_LEN];
	char type;                      /* 'R' regular, 'S' socket, 'O' other */
	char pad[7];
};

struct filetop_val {
	unsigned long long reads;
	unsigned long long writes;
	unsigned long long rbytes;
	unsigned long long wbytes;
};
#endif

#ifndef ELFSNOOP_H
#define ELFSNOOP_H
#define ELFSNOOP_PATH_LEN 128

struct elfsnoop_event {
	unsigned long long ts;
	unsigned long long ino;
	unsigned int pid;
	int ret;
	char interp[ELFSNOOP_PATH_LEN];
	char file[ELFSNOOP_PATH_LEN];
	char mount[32];             /* the root name of the file's mount */
};
#endif

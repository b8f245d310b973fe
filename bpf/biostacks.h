#ifndef BIOSTACKS_H
#define BIOSTACKS_H
#define BIOSTACKS_STACK_DEPTH 127

/* One histogram: the task that started the I/O, its kernel stack then, and the disk. */
struct biostacks_key {
	unsigned int pid;       /* tgid */
	unsigned int dev;       /* kernel dev_t */
	int stack_id;           /* kernel stack at the start, < 0 when it could not be taken */
	unsigned int pad;
	char comm[16];
};
#endif

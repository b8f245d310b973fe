#ifndef IOPROFILE_H
#define IOPROFILE_H
/* Syscall numbers ioprofile can mark (a .rodata table indexed by number). */
#define IOPROFILE_NR_MAX 1024

/* One count: a process, the I/O syscall it entered and the user stack it entered it from. */
struct ioprofile_key {
	unsigned int pid;
	int nr;                 /* syscall number */
	int user_stack_id;      /* < 0: not read (see core/stacks.h) */
	char comm[16];
};
#endif

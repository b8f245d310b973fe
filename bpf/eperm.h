#ifndef EPERM_H
#define EPERM_H
/* Failed syscalls counted by process name, syscall and error (EPERM or EACCES). */
struct eperm_key {
	char comm[16];
	int nr;
	int err;            /* positive errno */
};
#endif

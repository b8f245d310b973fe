#ifndef BASHFUNC_H
#define BASHFUNC_H
#define BASHFUNC_NAME_LEN 64    /* a function name's bytes kept (longer ones are cut) */

/* bashfunc: one call of a shell function. */
struct bashfunc_event {
	unsigned long long ts;
	unsigned int pid, pad;
	char comm[16];
	char name[BASHFUNC_NAME_LEN];
};
#endif

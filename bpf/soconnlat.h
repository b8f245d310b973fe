#ifndef SOCONNLAT_H
#define SOCONNLAT_H

/* One histogram: connects from one user stack of one process. */
struct soconnlat_key {
	int user_stack_id;      /* in the stacks map; < 0 when the stack could not be taken */
	unsigned int pid;       /* the process, whose mappings name the stack's frames */
	char comm[16];
};
#endif

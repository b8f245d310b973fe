#ifndef SYSCOUNT_H
#define SYSCOUNT_H
#define SYSCOUNT_MAX_ENTRIES 10240

/* Per syscall number, or per process with -P (comm kept from the first call, as the process may
 * be gone when printed). */
struct syscount_val {
	unsigned long long count;
	unsigned long long total_ns;
	char comm[16];
};
#endif

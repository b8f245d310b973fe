/* Types shared by bpf/slabratetop.bpf.c and applets/slabratetop.c. */
#ifndef BCCT_SLABRATETOP_H
#define BCCT_SLABRATETOP_H
#define SLABRATETOP_NAME_LEN 32      /* BCC's CACHE_NAME_SIZE */
#define SLABRATETOP_MAX_ENTRIES 2048 /* caches: a few hundred on a large machine */

struct slabratetop_key {
	char name[SLABRATETOP_NAME_LEN];
};

/* BCC's val_t: allocations and the bytes they took (the cache's object size each). */
struct slabratetop_val {
	unsigned long long count;
	unsigned long long size;
};
#endif

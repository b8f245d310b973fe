/* writeback: the event shared by bpf/writeback.bpf.c and applets/writeback.c. */
#ifndef BCCT_WRITEBACK_H
#define BCCT_WRITEBACK_H

/* The reasons the kernel has had (enum wb_reason), numbered here once: the kernel's numbers
 * moved (free_more_memory went in 4.x). */
enum writeback_reason {
	WBR_BACKGROUND, WBR_VMSCAN, WBR_SYNC, WBR_PERIODIC, WBR_LAPTOP_TIMER,
	WBR_FREE_MORE_MEM, WBR_FS_FREE_SPACE, WBR_FORKER_THREAD, WBR_FOREIGN_FLUSH,
	WBR_UNKNOWN, WBR_COUNT
};

struct writeback_event {
	unsigned long long ts;
	unsigned long long lat_ns;      /* from writeback_start on this superblock; 0 unseen */
	long long nr_pages;
	unsigned int reason;            /* enum writeback_reason */
	unsigned int sb_dev;
	char name[32];                  /* the backing device (bdi) name, "254:0" */
};
#endif

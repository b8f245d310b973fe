/* blkthrot: block I/O checked by blk-cgroup throttling, counted per cgroup. */
#ifndef BCCT_BLKTHROT_H
#define BCCT_BLKTHROT_H

struct blkthrot_counts {
	unsigned long long throttled;
	unsigned long long not_throttled;
};
#endif

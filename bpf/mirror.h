#ifndef MIRROR_H
#define MIRROR_H
/* Text mirrored from traced writes (ttysnoop, shellsnoop): each write's bytes sent as events of
 * at most -s bytes, at most -c of them per write (BCC's ttysnoop). Bounds of both: BCC leaves
 * them open; here every write costs at most MIRROR_MAX_COUNT reads of MIRROR_MAX_SIZE bytes. */
#define MIRROR_MAX_SIZE 8192
#define MIRROR_MAX_COUNT 64

struct mirror_event {
	unsigned long long ts;
	unsigned int count;          /* bytes of buf that are data */
	unsigned int pad;
	char buf[MIRROR_MAX_SIZE];   /* only count bytes are sent */
};
#define MIRROR_EVENT_BASE (sizeof(unsigned long long) + 2 * sizeof(unsigned int))
#endif

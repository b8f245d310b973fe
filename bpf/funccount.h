#ifndef FUNCCOUNT_H
#define FUNCCOUNT_H
/* The counts map holds one u64 per target (per CPU), indexed by the attach cookie; user space
 * sizes it to the number of targets before load. */
#define FUNCCOUNT_MAX_TARGETS 1000
#endif

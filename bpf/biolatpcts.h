#ifndef BIOLATPCTS_H
#define BIOLATPCTS_H
/* Counts of completed requests of one disk by latency, as BCC's biolatpcts: per operation
 * (read, write, discard, flush) 100 slots of 100 ms, then, for those under 100 ms, 100 slots of
 * 1 ms, then, under 1 ms, 100 slots of 10 us; the last slot of each takes everything above.
 * Index: (granularity * BIOLATPCTS_OPS + op) * BIOLATPCTS_SLOTS + slot. */
#define BIOLATPCTS_SLOTS 100
#define BIOLATPCTS_OPS 4
#define BIOLATPCTS_GRANS 3
#define BIOLATPCTS_COUNTERS (BIOLATPCTS_GRANS * BIOLATPCTS_OPS * BIOLATPCTS_SLOTS)

enum biolatpcts_from {          /* -w: the request's start time the latency counts from */
	BIOLATPCTS_ON_DEVICE,       /* io_start_time_ns: issued to the device */
	BIOLATPCTS_AFTER_ALLOC,     /* start_time_ns: after the request was allocated */
	BIOLATPCTS_FROM_ALLOC,      /* alloc_time_ns (CONFIG_BLK_RQ_ALLOC_TIME) */
};
#endif

/* Types shared by bpf/vmscan.bpf.c and applets/vmscan.c. */
#ifndef BCCT_VMSCAN_H
#define BCCT_VMSCAN_H

/* What is timed: a slab shrink, a direct reclaim, a memory cgroup's reclaim (the histograms' keys
 * and the time counters' indices). */
enum vmscan_kind { VMSCAN_SLAB, VMSCAN_DIRECT, VMSCAN_MEMCG, VMSCAN_KINDS };

/* The per-interval counters: ns in each kind, then kswapd wakeups and pages written. */
enum vmscan_counter { VMSCAN_KSWAPD = VMSCAN_KINDS, VMSCAN_WRITEPAGE, VMSCAN_COUNTERS };
#endif

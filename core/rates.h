/* BCC's per-second counter rows (vfsstat, dcstat): "HH:MM:SS:" then each counter of the
 * interval divided by its length, " %8d" each, as BCC prints them; with --json the interval's
 * object has a key per counter. */
#ifndef BCCT_RATES_H
#define BCCT_RATES_H

struct bpf_map;

/* Takes counters 0..count-1 of map (bcct_counters_take: read and zeroed) into n[] and begins
 * the row with them; the caller may add columns (dcstat's HIT%), then out_end(). 0, or -1 when
 * the map cannot be read (no row begun). */
int rates_row_begin(struct bpf_map *map, const char *const *keys, unsigned long long *n,
		    unsigned int count, long interval);
#endif

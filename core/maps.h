/* Reading and clearing aggregation maps (core/maps.c). */
#ifndef BCCT_MAPS_H
#define BCCT_MAPS_H
#include <stdbool.h>
#include <stddef.h>

struct bpf_map;

/* Visit every key/value; per-CPU values are summed (every 8-byte field is added across CPUs). */
typedef int (*bcct_map_visit_fn)(void *ctx, const void *key, const void *value);
int bcct_map_foreach(struct bpf_map *map, bcct_map_visit_fn fn, void *ctx);

/* All entries as one array of (key, value) pairs: each element is key_size (aligned to 8)
 * followed by value_size bytes. Returns the count or <0. */
struct bcct_entries {
	size_t n, key_size, value_size, stride;
	unsigned char *data;
};
int bcct_map_collect(struct bpf_map *map, struct bcct_entries *out);
static inline void *bcct_entry_key(const struct bcct_entries *e, size_t i)
{ return e->data + i * e->stride; }
static inline void *bcct_entry_value(const struct bcct_entries *e, size_t i)
{ return e->data + i * e->stride + ((e->key_size + 7) & ~(size_t)7); }
void bcct_entries_sort(struct bcct_entries *e, int (*cmp)(const void *a, const void *b));
/* Sorts entries whose value is one u64 (a count) by it: descending, or ascending. */
void bcct_entries_sort_by_count(struct bcct_entries *e, bool descending);
void bcct_entries_free(struct bcct_entries *e);
/* Deletes every entry (batch delete where the kernel has it). */
int bcct_map_clear(struct bpf_map *map);
/* Counters in an array of u64 (per-CPU summed), indices 0..n-1, into out[], each zeroed after
 * it is read (a count made between the read and the zeroing is lost: the stat tools' intervals
 * are seconds, the window microseconds). 0 or -errno. */
int bcct_counters_take(struct bpf_map *map, unsigned long long *out, unsigned int n);
/* The same, left as they are: for a tool that keeps running totals and prints differences
 * (biolatpcts, whose SIGUSR2 reports without starting a new period). */
int bcct_counters_read(struct bpf_map *map, unsigned long long *out, unsigned int n);
#endif

/* Results that hold for the running kernel until it reboots (the trimmed CO-RE target of an
 * object, kernel BTF lookups, feature probes), kept in /run/bcct so that the next run skips
 * the work. BCCT_NO_CACHE=1 turns it off. */
#ifndef BCCT_BOOTCACHE_H
#define BCCT_BOOTCACHE_H
#include <stddef.h>
#include <stdint.h>

/* The entry `key` ([A-Za-z0-9_.-], at most 120 characters), malloc'd, or NULL when absent,
 * invalid or caching is off. *len gets its size. */
void *bcct_cache_get(const char *key, size_t *len);
/* Stores an entry (best effort: failures only mean the next run does the work again). */
void bcct_cache_put(const char *key, const void *data, size_t len);
/* A fast 64-bit hash for cache keys (not cryptographic: the directory's permissions protect
 * the entries, the hash only tells objects apart). */
uint64_t bcct_hash64(const void *data, size_t len, uint64_t seed);
#endif

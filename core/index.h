/* An open-addressing set of indexes into an array its owner keeps (frames, samples, strings of
 * core/stackprof, series of core/metrics): slot value 0 is empty, i + 1 is element i. The owner
 * hashes and compares its elements; the table stays at most half full. */
#ifndef BCCT_INDEX_H
#define BCCT_INDEX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bcct_index {
	uint32_t *slots;
	size_t cap;
};

typedef bool (*bcct_index_eq_fn)(const void *owner, uint32_t i, const void *want);
typedef uint64_t (*bcct_index_hash_fn)(const void *owner, uint32_t i);

/* Room for n elements: the table doubles (rehashing elements by hash) while n would fill half
 * of it. false when memory runs out (the table is left as it was). */
bool bcct_index_reserve(struct bcct_index *x, size_t n, bcct_index_hash_fn hash, const void *owner);
/* The slot holding an element equal to want, or the empty slot where it goes: store i + 1 there
 * after appending element i. Call bcct_index_reserve first. */
uint32_t *bcct_index_find(struct bcct_index *x, uint64_t hash, bcct_index_eq_fn eq, const void *owner,
			  const void *want);
void bcct_index_free(struct bcct_index *x);

/* FNV-1a over n bytes, continuing from h (start with BCCT_FNV_START). */
#define BCCT_FNV_START 1469598103934665603ULL
static inline uint64_t bcct_fnv(uint64_t h, const void *p, size_t n)
{
	for (const unsigned char *c = p; n--; c++)
		h = (h ^ *c) * 1099511628211ULL;
	return h;
}
#endif

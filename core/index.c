/* Open-addressing index; see index.h. */
#include <stdlib.h>
#include "core/index.h"

uint32_t *bcct_index_find(struct bcct_index *x, uint64_t hash, bcct_index_eq_fn eq, const void *owner,
			  const void *want)
{
	for (size_t at = hash & (x->cap - 1);; at = (at + 1) & (x->cap - 1)) {
		uint32_t v = x->slots[at];

		if (!v || eq(owner, v - 1, want))
			return &x->slots[at];
	}
}

bool bcct_index_reserve(struct bcct_index *x, size_t n, bcct_index_hash_fn hash, const void *owner)
{
	size_t cap = x->cap ? x->cap : 64;
	uint32_t *slots;

	while (n * 2 >= cap)
		cap *= 2;
	if (cap == x->cap)
		return true;
	if (!(slots = calloc(cap, sizeof(*slots))))
		return false;
	for (size_t i = 0; i < x->cap; i++) {
		uint32_t v = x->slots[i];
		size_t at;

		if (!v)
			continue;
		for (at = hash(owner, v - 1) & (cap - 1); slots[at]; at = (at + 1) & (cap - 1))
			;
		slots[at] = v;
	}
	free(x->slots);
	x->slots = slots;
	x->cap = cap;
	return true;
}

void bcct_index_free(struct bcct_index *x)
{
	free(x->slots);
	x->slots = NULL;
	x->cap = 0;
}

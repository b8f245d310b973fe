#include "core/embed.h"

#include <stdio.h>
#include <stdlib.h>
#include <zstd.h>

#include "core/bootcache.h"
#include "core/log.h"

const void *bcct_embedded_object(struct bcct_embedded *cache, const void *z, size_t zsize,
				 size_t *size)
{
	char key[32];

	/* Decompressed once per boot: reading the plain bytes back from /run is cheaper than
	 * decompressing them at every start (tracepoint-only tools gain nothing else from the
	 * per-boot cache, and would otherwise start slower than with an uncompressed object). */
	if (!cache->data) {
		snprintf(key, sizeof(key), "obj-%016llx", (unsigned long long)bcct_hash64(z, zsize, zsize));
		cache->data = bcct_cache_get(key, &cache->size);
	}
	if (!cache->data) {
		/* The build writes the frame with its content size, so one allocation of the exact
		 * size and one single-shot decompression suffice. */
		unsigned long long n = ZSTD_getFrameContentSize(z, zsize);
		const char *why = NULL;
		void *data = NULL;
		size_t got;

		if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN || n == 0)
			why = "no zstd frame with its content size";
		else if (!(data = malloc(n)))
			why = "out of memory";
		else if (ZSTD_isError(got = ZSTD_decompress(data, n, z, zsize)))
			why = ZSTD_getErrorName(got);
		else if (got != n)
			why = "short frame";
		if (why) {
			bcct_err("cannot decompress the embedded BPF object: %s", why);
			free(data);
			*size = 0;
			return NULL;
		}
		cache->data = data;
		cache->size = n;
		bcct_cache_put(key, data, n);
	}
	*size = cache->size;
	return cache->data;
}

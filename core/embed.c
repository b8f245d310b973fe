#include "core/embed.h"

#include <stdlib.h>
#include <zstd.h>

#include "core/log.h"

const void *bcct_embedded_object(struct bcct_embedded *cache, const void *z, size_t zsize,
				 size_t *size)
{
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
	}
	*size = cache->size;
	return cache->data;
}

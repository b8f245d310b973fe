/* BPF objects embedded compressed (zstd) in the skeletons: cmake/embed_object.c rewrites each
 * generated X_bpf__elf_bytes() to call bcct_embedded_object(), so applets, core and libbpf still
 * get the plain ELF bytes through the skeleton's usual interface. */
#ifndef BCCT_EMBED_H
#define BCCT_EMBED_H
#include <stddef.h>

/* One per embedded object: the decompressed bytes, kept for the rest of the run. */
struct bcct_embedded {
	void *data;
	size_t size;
};

/* The object's ELF bytes, decompressed from the zstd frame z[0..zsize) on the first call and
 * returned from `cache` afterwards (core asks twice: for the CO-RE target, then for the
 * skeleton). NULL with *size = 0 (and a message) when it cannot be decompressed; libbpf then
 * fails to open the object and the applet reports it. */
const void *bcct_embedded_object(struct bcct_embedded *cache, const void *z, size_t zsize,
				 size_t *size);
#endif

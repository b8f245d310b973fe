/* What libelf.a needs from the link, made to fit a static bcct. Linked as an object, so these
 * definitions come before the archives and the linker takes them instead of the archives'. */
#include <search.h>
#include <stddef.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

/* libelf.a from elfutils >= 0.191 (bookworm-backports ships 0.192, and installing libbpf-dev
 * from backports pulls it in) references four helpers from elfutils' internal libeu, which no
 * Debian package ships as a static archive. They wrap tsearch(3) with a lock around a tree whose
 * first member is the root pointer. bcct calls libelf from one thread only, so the wrappers need
 * no lock. */
struct eu_tree { void *root; };   /* the lock that follows the root is left untouched */

void eu_search_tree_init(struct eu_tree *t) { t->root = NULL; }
void eu_search_tree_fini(struct eu_tree *t) { (void)t; }

void *eu_tsearch(const void *key, struct eu_tree *t, int (*cmp)(const void *, const void *))
{
	return tsearch(key, &t->root, cmp);
}

void *eu_tfind(const void *key, struct eu_tree *t, int (*cmp)(const void *, const void *))
{
	return tfind(key, &t->root, cmp);
}

void *eu_tdelete(const void *key, struct eu_tree *t, int (*cmp)(const void *, const void *))
{
	return tdelete(key, &t->root, cmp);
}

/* libelf's elf_compress() both compresses and decompresses, so it references zstd's and zlib's
 * compressors. bcct only ever decompresses ELF sections (symbolize/dwarf_line.c:
 * elf_compress(scn, 0, 0)), so zstd's compressor, ~0.4 MB (its match finders above all), is
 * replaced by one that always fails: libelf then reports ELF_E_COMPRESS_ERROR. Anything in bcct
 * that wants to compress with zstd must drop these stubs. libelf does not check the context for
 * NULL; it stops at the first error of ZSTD_compressStream2 and frees it. zlib's deflate (a few
 * tens of KB) is real: --pprof writes gzip (core/pprof.c). */
ZSTD_CCtx *ZSTD_createCCtx(void) { return NULL; }
size_t ZSTD_freeCCtx(ZSTD_CCtx *cctx) { return 0; }

size_t ZSTD_compressStream2(ZSTD_CCtx *cctx, ZSTD_outBuffer *output, ZSTD_inBuffer *input,
			    ZSTD_EndDirective end)
{
	return (size_t)-ZSTD_error_GENERIC;
}

/* The other way deflate comes in: libbpf reads /proc/config.gz with gzopen(.., "r") and gzclose,
 * which would call gzclose_w for a file opened for writing. */
int gzclose_w(gzFile file) { return Z_STREAM_ERROR; }

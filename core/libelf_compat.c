/* libelf.a from elfutils >= 0.191 (bookworm-backports ships 0.192, and installing libbpf-dev
 * from backports pulls it in) references four helpers from elfutils' internal libeu, which no
 * Debian package ships as a static archive. They wrap tsearch(3) with a lock around a tree whose
 * first member is the root pointer. bcct calls libelf from one thread only, so the wrappers need
 * no lock. With older libelf.a nothing references these and the linker drops this file. */
#include <search.h>
#include <stddef.h>

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

/* Reading and clearing aggregation maps. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/maps.h"

static bool is_percpu(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* Appends n (key, value) pairs, keys ks bytes apart and values vs bytes apart, to out. */
static int append(struct bcct_entries *out, const unsigned char *keys, const unsigned char *vals,
		  size_t n, size_t ks, size_t vs, size_t *cap)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char *slot;

		if (out->n == *cap) {
			unsigned char *grown = realloc(out->data, (*cap ? *cap * 2 : 256) * out->stride);

			if (!grown)
				return -1;
			out->data = grown;
			*cap = *cap ? *cap * 2 : 256;
		}
		slot = out->data + out->n * out->stride;
		memset(slot, 0, out->stride);
		memcpy(slot, keys + i * ks, ks);
		memcpy(bcct_entry_value(out, out->n), vals + i * vs, vs);
		out->n++;
	}
	return 0;
}

/* A hash map read bucket by bucket (BPF_MAP_LOOKUP_BATCH, 5.6+): unlike get_next_key, which
 * starts over when the key it continues from was deleted meanwhile, this ends however fast the
 * programs add and delete (memleak's table of outstanding kernel allocations). 0, -1 on
 * failure, 1 when the kernel has no batch operations (out untouched). */
static int collect_batch(int fd, struct bcct_entries *out, size_t ks, size_t vs)
{
	size_t chunk = 1024, cap = 0;
	unsigned long long token[8];    /* the kernel's position: a bucket index for hash maps */
	unsigned char *keys = NULL, *vals = NULL;
	bool first = true;
	int ret = 0;

	for (;;) {
		__u32 count = chunk;
		int err;

		if (!keys && (!(keys = malloc(chunk * ks)) || !(vals = malloc(chunk * vs)))) {
			ret = -1;
			break;
		}
		err = bpf_map_lookup_batch(fd, first ? NULL : token, token, keys, vals, &count, NULL);
		if (err && errno == ENOSPC && chunk < (1u << 20)) {
			/* one bucket holds more than a chunk: retry it with room for it */
			chunk *= 4;
			free(keys);
			free(vals);
			keys = vals = NULL;
			continue;
		}
		if (err && errno != ENOENT) {
			ret = first && (errno == EINVAL || errno == ENOTSUP || errno == EOPNOTSUPP) ? 1 : -1;
			break;
		}
		if (append(out, keys, vals, count, ks, vs, &cap)) {
			ret = -1;
			break;
		}
		first = false;
		if (err)        /* ENOENT: the last bucket was read */
			break;
	}
	free(keys);
	free(vals);
	if (ret) {
		free(out->data);
		out->data = NULL;
		out->n = 0;
	}
	return ret;
}

int bcct_map_collect(struct bpf_map *map, struct bcct_entries *out)
{
	size_t ks = bpf_map__key_size(map), vs = bpf_map__value_size(map);
	bool percpu = is_percpu(bpf_map__type(map));
	int ncpu = percpu ? libbpf_num_possible_cpus() : 1;
	size_t vstride = (vs + 7) & ~(size_t)7;
	int fd = bpf_map__fd(map);
	unsigned char *key = calloc(1, ks), *next = calloc(1, ks), *vals = calloc(ncpu, vstride);
	void *prev = NULL;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->key_size = ks;
	out->value_size = vs;
	out->stride = ((ks + 7) & ~(size_t)7) + vstride;
	if (bpf_map__type(map) == BPF_MAP_TYPE_HASH && vs % 8 == 0) {
		int ret = collect_batch(fd, out, ks, vs);

		if (ret <= 0) {
			free(key);
			free(next);
			free(vals);
			return ret ? ret : (int)out->n;
		}
	}
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		unsigned char *slot;

		memcpy(key, next, ks);
		prev = key;
		if (bpf_map_lookup_elem(fd, key, vals))
			continue;   /* deleted meanwhile */
		if (out->n == cap) {
			cap = cap ? cap * 2 : 256;
			out->data = realloc(out->data, cap * out->stride);
		}
		slot = out->data + out->n * out->stride;
		memset(slot, 0, out->stride);
		memcpy(slot, key, ks);
		if (percpu) {
			/* Per-CPU values are made of u64 counters: sum them across CPUs. */
			unsigned long long *dst = (void *)(slot + ((ks + 7) & ~(size_t)7));
			for (int c = 0; c < ncpu; c++) {
				unsigned long long *src = (void *)(vals + c * vstride);
				for (size_t w = 0; w < vs / 8; w++)
					dst[w] += src[w];
			}
		} else {
			memcpy(bcct_entry_value(out, out->n), vals, vs);
		}
		out->n++;
	}
	free(key);
	free(next);
	free(vals);
	return (int)out->n;
}

void bcct_entries_sort(struct bcct_entries *e, int (*cmp)(const void *a, const void *b))
{
	if (e->n > 1)
		qsort(e->data, e->n, e->stride, cmp);
}

/* qsort_r's context: where the value starts in an element. Equal counts keep the keys' byte
 * order, so that the output is the same from run to run. */
static int count_order(const void *a, const void *b, size_t off, bool descending)
{
	uint64_t x, y;

	memcpy(&x, (const char *)a + off, sizeof(x));
	memcpy(&y, (const char *)b + off, sizeof(y));
	if (x != y)
		return (x < y) == descending ? 1 : -1;
	return memcmp(a, b, off);
}

static int by_count_asc(const void *a, const void *b, void *value_offset)
{
	return count_order(a, b, *(const size_t *)value_offset, false);
}

static int by_count_desc(const void *a, const void *b, void *value_offset)
{
	return count_order(a, b, *(const size_t *)value_offset, true);
}

void bcct_entries_sort_by_count(struct bcct_entries *e, bool descending)
{
	size_t off = (e->key_size + 7) & ~(size_t)7;

	if (e->n > 1 && e->value_size >= sizeof(uint64_t))
		qsort_r(e->data, e->n, e->stride, descending ? by_count_desc : by_count_asc, &off);
}

void bcct_entries_free(struct bcct_entries *e)
{
	free(e->data);
	memset(e, 0, sizeof(*e));
}

int bcct_map_foreach(struct bpf_map *map, bcct_map_visit_fn fn, void *ctx)
{
	struct bcct_entries e;
	int err = 0;

	if (bcct_map_collect(map, &e) < 0)
		return -1;
	for (size_t i = 0; i < e.n && !err; i++)
		err = fn(ctx, bcct_entry_key(&e, i), bcct_entry_value(&e, i));
	bcct_entries_free(&e);
	return err;
}

int bcct_map_clear(struct bpf_map *map)
{
	size_t ks = bpf_map__key_size(map);
	int fd = bpf_map__fd(map);
	enum bpf_map_type t = bpf_map__type(map);
	unsigned char *keys = NULL, *k;
	size_t n = 0, cap = 0;

	if (t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY) {
		/* Arrays cannot delete: zero every element. */
		size_t vs = ((bpf_map__value_size(map) + 7) & ~(size_t)7) *
			    (t == BPF_MAP_TYPE_PERCPU_ARRAY ? libbpf_num_possible_cpus() : 1);
		void *zero = calloc(1, vs);
		for (__u32 i = 0; i < bpf_map__max_entries(map); i++)
			bpf_map_update_elem(fd, &i, zero, BPF_ANY);
		free(zero);
		return 0;
	}
	/* Collect keys first: deleting while iterating restarts get_next_key on hash maps. */
	k = calloc(1, ks);
	while (bpf_map_get_next_key(fd, n ? keys + (n - 1) * ks : NULL, k) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			keys = realloc(keys, cap * ks);
		}
		memcpy(keys + n * ks, k, ks);
		n++;
	}
	free(k);
	if (n) {
		__u32 count = n;
		LIBBPF_OPTS(bpf_map_batch_opts, o);

		if (bpf_map_delete_batch(fd, keys, &count, &o))
			for (size_t i = 0; i < n; i++)
				bpf_map_delete_elem(fd, keys + i * ks);
	}
	free(keys);
	return 0;
}

static int counters_sum(struct bpf_map *map, unsigned long long *out, unsigned int n, bool zero_after)
{
	bool percpu = is_percpu(bpf_map__type(map));
	int ncpu = percpu ? libbpf_num_possible_cpus() : 1, fd = bpf_map__fd(map);
	unsigned long long *vals = calloc(ncpu, sizeof(*vals)), *zero = calloc(ncpu, sizeof(*zero));
	int err = 0;

	if (!vals || !zero || bpf_map__value_size(map) != sizeof(*vals)) {
		err = -EINVAL;
		goto out;
	}
	for (__u32 i = 0; i < n; i++) {
		out[i] = 0;
		if (bpf_map_lookup_elem(fd, &i, vals)) {
			err = -errno;
			continue;
		}
		for (int c = 0; c < ncpu; c++)
			out[i] += vals[c];
		if (zero_after)
			bpf_map_update_elem(fd, &i, zero, BPF_ANY);
	}
out:
	free(vals);
	free(zero);
	return err;
}

int bcct_counters_take(struct bpf_map *map, unsigned long long *out, unsigned int n)
{
	return counters_sum(map, out, n, true);
}

int bcct_counters_read(struct bpf_map *map, unsigned long long *out, unsigned int n)
{
	return counters_sum(map, out, n, false);
}

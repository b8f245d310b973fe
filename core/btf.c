/* A minimal reader of /sys/kernel/btf/vmlinux: one linear pass over the type records per lookup,
 * comparing names, with no index. libbpf's btf__parse() validates and indexes every type (tens of
 * milliseconds and megabytes); bcct needs a handful of names before load and libbpf parses the
 * same data again at load, so doing it twice made start-up slower than the peers'. */
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/btf.h>
#include "core/btf.h"

static unsigned char *raw;
static size_t raw_len;
static bool tried, mapped;

static bool load(void)
{
	struct stat st;
	int fd;
	size_t cap = 8 << 20;
	ssize_t n;

	if (tried)
		return raw != NULL;
	tried = true;
	fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* Kernels since 6.16 let the file be mapped: no copy, no page faults on fresh memory. */
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		void *m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m != MAP_FAILED) {
			raw = m;
			raw_len = st.st_size;
			mapped = true;
			close(fd);
			return true;
		}
	}
	raw = malloc(cap);
	while (raw && (n = read(fd, raw + raw_len, cap - raw_len)) > 0) {
		raw_len += n;
		if (raw_len == cap)
			raw = realloc(raw, cap *= 2);
	}
	close(fd);
	if (raw && raw_len < sizeof(struct btf_header)) {
		free(raw);
		raw = NULL;
	}
	return raw != NULL;
}

/* Bytes that follow the common struct btf_type for this kind. */
static size_t extra_size(const struct btf_type *t)
{
	unsigned int vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: return sizeof(uint32_t);
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM: return vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO: return vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC: return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64: return vlen * 12;   /* struct btf_enum64 */
	default: return 0;                        /* PTR, FWD, TYPEDEF, qualifiers, FUNC, FLOAT, TYPE_TAG */
	}
}

/* The type records, or NULL when the data is not usable BTF. */
static const struct btf_header *header(const unsigned char **types, const unsigned char **end,
				       const char **strs)
{
	const struct btf_header *h;

	if (!load())
		return NULL;
	h = (const void *)raw;
	if (h->magic != BTF_MAGIC || h->hdr_len + h->str_off + h->str_len > raw_len ||
	    h->hdr_len + h->type_off + h->type_len > raw_len)
		return NULL;
	*types = raw + h->hdr_len + h->type_off;
	*end = *types + h->type_len;
	*strs = (const char *)raw + h->hdr_len + h->str_off;
	return h;
}

/* The record of type id, or NULL. */
static const struct btf_type *type_by_id(int want)
{
	const unsigned char *types, *end;
	const char *strs;
	int id = 1;

	if (!header(&types, &end, &strs) || want < 1)
		return NULL;
	while (types + sizeof(struct btf_type) <= end) {
		const struct btf_type *t = (const void *)types;

		if (id == want)
			return t;
		types += sizeof(*t) + extra_size(t);
		id++;
	}
	return NULL;
}

int bcct_btf_tp_args(const char *tracepoint)
{
	char name[160];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tracepoint);
	id = bcct_btf_find(name, BTF_KIND_TYPEDEF);
	/* typedef -> pointer -> function prototype (void *__data, the tracepoint's arguments) */
	t = id < 0 ? NULL : type_by_id(id);
	t = t ? type_by_id(t->type) : NULL;
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR || !(t = type_by_id(t->type)) ||
	    BTF_INFO_KIND(t->info) != BTF_KIND_FUNC_PROTO || BTF_INFO_VLEN(t->info) < 1)
		return -1;
	return BTF_INFO_VLEN(t->info) - 1;
}

int bcct_btf_func_args(const char *func)
{
	int id = bcct_btf_find(func, BTF_KIND_FUNC);
	const struct btf_type *t = id < 0 ? NULL : type_by_id(id);
	const struct btf_param *params;
	unsigned int n;

	if (!t || !(t = type_by_id(t->type)) || BTF_INFO_KIND(t->info) != BTF_KIND_FUNC_PROTO)
		return -1;
	n = BTF_INFO_VLEN(t->info);
	params = (const void *)(t + 1);
	if (n && !params[n - 1].type)
		return -1;   /* "...": no fixed argument count */
	return (int)n;
}

int bcct_btf_find(const char *name, int kind)
{
	const struct btf_header *h;
	const unsigned char *types, *end;
	const char *strs;
	size_t name_len = strlen(name) + 1;
	int id = 1;

	if (!(h = header(&types, &end, &strs)))
		return -1;
	while (types + sizeof(struct btf_type) <= end) {
		const struct btf_type *t = (const void *)types;

		if ((int)BTF_INFO_KIND(t->info) == kind && t->name_off + name_len <= h->str_len &&
		    !memcmp(strs + t->name_off, name, name_len))
			return id;
		types += sizeof(*t) + extra_size(t);
		id++;
	}
	return -1;
}

void bcct_btf_release(void)
{
	if (mapped)
		munmap(raw, raw_len);
	else
		free(raw);
	mapped = false;
	raw = NULL;
	raw_len = 0;
	tried = false;
}

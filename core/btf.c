/* A minimal reader of /sys/kernel/btf/vmlinux, and the trimmed CO-RE target built from it.
 *
 * libbpf's btf__parse() validates and indexes every one of the kernel's ~150,000 types (tens of
 * milliseconds, several megabytes), and any CO-RE relocation or tp_btf program makes it do so at
 * load, then scan every type again for each relocated type name. bcct needs a handful of names:
 * here one pass records where each type starts, lookups compare names, and bcct_open_opts()
 * hands libbpf a BTF of only the types an object's relocations can reach (see below). */
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/btf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/bootcache.h"
#include "core/btf.h"
#include "core/log.h"
#include "symbolize/elf_section.h"

static _Thread_local unsigned char *raw;
static _Thread_local size_t raw_len;
static _Thread_local bool tried, mapped;
/* The parsed view of raw: type records, strings, and where each type id's record starts. */
static _Thread_local const unsigned char *types_begin, *types_end;
static _Thread_local const char *strs;
static _Thread_local uint32_t strs_len;
static _Thread_local uint32_t *type_off;   /* index: type id -> offset in the type section; [0] unused */
static _Thread_local uint32_t ntypes;      /* highest type id */

/* Bytes that follow the common struct btf_type, by kind: a fixed part, plus a part per vlen
 * entry. Tables rather than a switch: indexing walks every record in a chain where each
 * record's size gives the next one's address, and a mispredicted branch per record was most of
 * that walk's time. */
static const uint8_t fixed_extra[32] = {
	[BTF_KIND_INT] = sizeof(uint32_t), [BTF_KIND_ARRAY] = sizeof(struct btf_array),
	[BTF_KIND_VAR] = sizeof(struct btf_var), [BTF_KIND_DECL_TAG] = sizeof(struct btf_decl_tag),
};
static const uint8_t vlen_extra[32] = {
	[BTF_KIND_STRUCT] = sizeof(struct btf_member), [BTF_KIND_UNION] = sizeof(struct btf_member),
	[BTF_KIND_ENUM] = sizeof(struct btf_enum), [BTF_KIND_FUNC_PROTO] = sizeof(struct btf_param),
	[BTF_KIND_DATASEC] = sizeof(struct btf_var_secinfo), [BTF_KIND_ENUM64] = 12,   /* btf_enum64 */
};

static size_t extra_size(const struct btf_type *t)
{
	unsigned int kind = BTF_INFO_KIND(t->info) & 31;

	return fixed_extra[kind] + (size_t)vlen_extra[kind] * BTF_INFO_VLEN(t->info);
}

static bool read_raw(void)
{
	struct stat st;
	int fd;
	size_t cap = 8 << 20;
	ssize_t n;

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
	return raw != NULL;
}

/* Maps or reads the kernel's BTF and indexes its type records, once. */
static bool load(void)
{
	const struct btf_header *h;
	const unsigned char *p;
	size_t cap = 1 << 16;

	if (tried)
		return type_off != NULL;
	tried = true;
	if (!read_raw())
		return false;
	h = (const void *)raw;
	if (raw_len < sizeof(*h) || h->magic != BTF_MAGIC ||
	    (uint64_t)h->hdr_len + h->str_off + h->str_len > raw_len ||
	    (uint64_t)h->hdr_len + h->type_off + h->type_len > raw_len)
		goto bad;
	types_begin = raw + h->hdr_len + h->type_off;
	types_end = types_begin + h->type_len;
	strs = (const char *)raw + h->hdr_len + h->str_off;
	strs_len = h->str_len;
	if (!strs_len || strs[strs_len - 1])
		goto bad;
	type_off = malloc(cap * sizeof(*type_off));
	for (p = types_begin; type_off && p + sizeof(struct btf_type) <= types_end;) {
		const struct btf_type *t = (const void *)p;
		size_t rec = sizeof(*t) + extra_size(t);

		if (p + rec > types_end)
			break;
		if (++ntypes == cap)
			type_off = realloc(type_off, (cap *= 2) * sizeof(*type_off));
		if (type_off)
			type_off[ntypes] = p - types_begin;
		p += rec;
	}
	if (type_off)
		return true;
bad:
	bcct_btf_release();
	tried = true;
	return false;
}

static const struct btf_type *type_by_id(uint32_t id)
{
	return id >= 1 && id <= ntypes ? (const void *)(types_begin + type_off[id]) : NULL;
}

static const char *name_of(const struct btf_type *t)
{
	return t->name_off < strs_len ? strs + t->name_off : "";
}

static int find_uncached(const char *name, int kind)
{
	for (uint32_t id = 1; id <= ntypes; id++) {
		const struct btf_type *t = type_by_id(id);

		if ((int)BTF_INFO_KIND(t->info) == kind && !strcmp(name_of(t), name))
			return id;
	}
	return -1;
}

static int tp_args_uncached(const char *tracepoint, int unused)
{
	char name[160];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tracepoint);
	id = find_uncached(name, BTF_KIND_TYPEDEF);
	/* typedef -> pointer -> function prototype (void *__data, the tracepoint's arguments) */
	t = id < 0 ? NULL : type_by_id(id);
	t = t ? type_by_id(t->type) : NULL;
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR || !(t = type_by_id(t->type)) ||
	    BTF_INFO_KIND(t->info) != BTF_KIND_FUNC_PROTO || BTF_INFO_VLEN(t->info) < 1)
		return -1;
	return BTF_INFO_VLEN(t->info) - 1;
}

static int func_args_uncached(const char *func, int unused)
{
	int id = find_uncached(func, BTF_KIND_FUNC);
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

/* What compute(name, kind) answers from the kernel's BTF, from the per-boot cache when an
 * earlier run asked: a hit costs one small file read instead of mapping and indexing all of
 * the kernel's BTF (about a millisecond) and scanning it (as much again). */
static int cached_lookup(const char *what, const char *name, int kind,
			 int (*compute)(const char *name, int kind))
{
	char key[160];
	size_t len;
	int *hit, v;
	bool cacheable = (size_t)snprintf(key, sizeof(key), "%s-%d-%s", what, kind, name) < sizeof(key);

	if (cacheable && (hit = bcct_cache_get(key, &len))) {
		v = len == sizeof(v) ? *hit : -2;
		free(hit);
		if (v != -2)
			return v;
	}
	if (!load())
		return -1;   /* no kernel BTF: nothing worth remembering */
	v = compute(name, kind);
	if (cacheable)
		bcct_cache_put(key, &v, sizeof(v));
	return v;
}

int bcct_btf_find(const char *name, int kind)
{
	return cached_lookup("find", name, kind, find_uncached);
}

int bcct_btf_tp_args(const char *tracepoint)
{
	return cached_lookup("tpargs", tracepoint, 0, tp_args_uncached);
}

int bcct_btf_func_args(const char *func)
{
	return cached_lookup("funcargs", func, 0, func_args_uncached);
}

void bcct_btf_release(void)
{
	if (mapped)
		munmap(raw, raw_len);
	else
		free(raw);
	free(type_off);
	type_off = NULL;
	ntypes = 0;
	mapped = false;
	raw = NULL;
	raw_len = 0;
	tried = false;
}

/* ---- the trimmed CO-RE target ------------------------------------------------------------ *
 *
 * libbpf relocates a CO-RE access (an object's .BTF.ext record: root type, access path, kind)
 * against every kernel type whose name matches the root type's, without its ___flavor suffix,
 * and walks the access path through members of that type and of the structs and unions
 * embedded in it, never through a pointer. So the kernel types that can matter are the
 * candidates and everything reachable from them without dereferencing: they are copied whole.
 * What is behind a pointer only needs to stay the kind it is (a field's compatibility looks at
 * a pointer, not at what it points to): a struct or union there becomes an empty one of the
 * same name and size, and a function prototype a prototype without parameters. The result, a
 * few hundred types, goes to libbpf as btf_custom_path (a memfd), and libbpf no longer reads
 * vmlinux BTF for such objects. Relocation kinds that look deeper (type matches) or return
 * kernel type ids keep libbpf's full path. */

enum { UNSEEN, STUB, WHOLE };

struct trim {
	uint8_t *state;          /* per kernel type id: UNSEEN, STUB (behind a pointer) or WHOLE */
	uint32_t *new_id;        /* per kernel type id: its id in the trimmed BTF */
	unsigned char *out;      /* types, then strings */
	size_t out_len, out_cap;
	char *str;
	size_t str_len, str_cap;
	bool failed;
};

/* Marks id and what the relocation walk can reach from it; whole = reached without a pointer. */
static void mark(struct trim *tr, uint32_t id, bool whole, int depth)
{
	const struct btf_type *t = type_by_id(id);
	int want = whole ? WHOLE : STUB;
	unsigned int kind, vlen;

	if (!id)
		return;
	if (!t || depth > 64) {
		tr->failed = true;
		return;
	}
	if (tr->state[id] >= want)
		return;
	tr->state[id] = want;
	kind = BTF_INFO_KIND(t->info);
	vlen = BTF_INFO_VLEN(t->info);
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (whole) {
			const struct btf_member *m = (const void *)(t + 1);

			for (unsigned int i = 0; i < vlen; i++)
				mark(tr, m[i].type, true, depth + 1);
		}
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = (const void *)(t + 1);

		mark(tr, a->type, whole, depth + 1);
		mark(tr, a->index_type, true, depth + 1);
		break;
	}
	case BTF_KIND_PTR:
		mark(tr, t->type, false, depth + 1);
		break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		mark(tr, t->type, whole, depth + 1);
		break;
	case BTF_KIND_FUNC_PROTO:   /* only behind pointers: emitted without parameters */
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		tr->state[id] = WHOLE;
		break;
	default:                    /* FUNC, VAR, DATASEC, DECL_TAG: not reachable from a type */
		tr->failed = true;
	}
}

static void *grow(unsigned char **buf, size_t *len, size_t *cap, size_t add)
{
	if (*len + add > *cap) {
		size_t ncap = *cap ? *cap * 2 : 4096;

		while (ncap < *len + add)
			ncap *= 2;
		if (!(*buf = realloc(*buf, ncap)))
			return NULL;
		*cap = ncap;
	}
	*len += add;
	return *buf + *len - add;
}

/* The trimmed string section offset of a kernel string offset. */
static uint32_t add_str(struct trim *tr, uint32_t off)
{
	const char *s = off < strs_len ? strs + off : "";
	size_t n = strlen(s) + 1;
	char *dst;

	if (!*s)
		return 0;
	dst = grow((unsigned char **)&tr->str, &tr->str_len, &tr->str_cap, n);
	if (!dst) {
		tr->failed = true;
		return 0;
	}
	memcpy(dst, s, n);
	return dst - tr->str;
}

/* Appends kernel type id, in its marked form, with ids and names translated. */
static void emit(struct trim *tr, uint32_t id)
{
	const struct btf_type *t = type_by_id(id);
	unsigned int kind = BTF_INFO_KIND(t->info), vlen = BTF_INFO_VLEN(t->info);
	bool stub = (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) && tr->state[id] == STUB;
	size_t extra = stub || kind == BTF_KIND_FUNC_PROTO ? 0 : extra_size(t);
	struct btf_type *o = grow(&tr->out, &tr->out_len, &tr->out_cap, sizeof(*t) + extra);

	if (!o) {
		tr->failed = true;
		return;
	}
	memcpy(o, t, sizeof(*t) + extra);
	o->name_off = add_str(tr, t->name_off);
	if (stub || kind == BTF_KIND_FUNC_PROTO) {
		o->info = t->info & ~0xffffu;   /* same kind and kind_flag, no members */
		if (kind == BTF_KIND_FUNC_PROTO)
			o->type = 0;   /* void (*)(void): behind a pointer only the kind counts */
		return;
	}
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		struct btf_member *m = (void *)(o + 1);

		for (unsigned int i = 0; i < vlen; i++) {
			m[i].name_off = add_str(tr, m[i].name_off);
			m[i].type = tr->new_id[m[i].type];
		}
		break;
	}
	case BTF_KIND_ENUM: {
		struct btf_enum *e = (void *)(o + 1);

		for (unsigned int i = 0; i < vlen; i++)
			e[i].name_off = add_str(tr, e[i].name_off);
		break;
	}
	case BTF_KIND_ENUM64:
		for (unsigned int i = 0; i < vlen; i++) {
			uint32_t *name_off = (uint32_t *)((char *)(o + 1) + 12 * i);

			*name_off = add_str(tr, *name_off);
		}
		break;
	case BTF_KIND_ARRAY: {
		struct btf_array *a = (void *)(o + 1);

		a->type = tr->new_id[a->type];
		a->index_type = tr->new_id[a->index_type];
		break;
	}
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		o->type = tr->new_id[t->type];
		break;
	}
}

/* Length of a type name without its ___flavor suffix (libbpf's rule: the last "X___Y" where
 * X and Y are not underscores ends the name at X). */
static size_t essential_len(const char *name)
{
	size_t n = strlen(name);

	for (long i = (long)n - 5; i >= 0; i--)
		if (name[i] != '_' && !strncmp(name + i + 1, "___", 3) && name[i + 4] != '_')
			return i + 1;
	return n;
}

/* The .BTF section of an in-memory BPF object and its .BTF.ext (NULL when absent): pointers into
 * image. False without .BTF. */
static bool btf_sections(const void *image, size_t size, const void **btf, size_t *btf_len,
			 const void **ext, size_t *ext_len)
{
	/* libelf may convert in place: it reads a private copy, the sections stay found in image. */
	char *copy = malloc(size);
	Elf *elf = NULL;
	GElf_Shdr sh;
	bool ok = false;

	*ext = NULL;
	*ext_len = 0;
	if (copy) {
		memcpy(copy, image, size);
		elf_version(EV_CURRENT);
		elf = elf_memory(copy, size);
	}
	if (elf && sym_elf_section(elf, ".BTF", &sh) && sh.sh_offset + sh.sh_size <= size) {
		*btf = (const char *)image + sh.sh_offset;
		*btf_len = sh.sh_size;
		ok = true;
		if (sym_elf_section(elf, ".BTF.ext", &sh) && sh.sh_offset + sh.sh_size <= size) {
			*ext = (const char *)image + sh.sh_offset;
			*ext_len = sh.sh_size;
		}
	}
	if (elf)
		elf_end(elf);
	free(copy);
	return ok;
}

/* The layout of .BTF.ext (linux/btf.h does not carry it): a header, then per-section blocks
 * { name offset, record count, records } after a leading record size. */
struct btf_ext_hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len, line_info_off, line_info_len;
	uint32_t core_relo_off, core_relo_len;
};
struct core_relo {
	uint32_t insn_off, type_id, access_str_off, kind;
};
enum { RELO_TYPE_ID_LOCAL = 6, RELO_TYPE_ID_TARGET = 7, RELO_ENUMVAL_VALUE = 11 };

#define MAX_ROOTS 64

/* The essential names of the root types of obj's CO-RE relocations. Returns their count, 0 when
 * there are none, -1 when a relocation needs libbpf's full kernel BTF. */
static int relocated_names(const struct btf_ext_hdr *h, size_t len, struct btf *local,
			   const char **names, size_t *lens)
{
	const unsigned char *p, *end;
	uint32_t rec_size;
	int n = 0;

	if (!h || len < sizeof(*h) || h->hdr_len < sizeof(*h) || !h->core_relo_len)
		return 0;
	p = (const unsigned char *)h + h->hdr_len + h->core_relo_off;
	end = p + h->core_relo_len;
	if ((const unsigned char *)h + len < end || h->core_relo_len < 4)
		return -1;
	rec_size = *(const uint32_t *)p;
	if (rec_size < sizeof(struct core_relo))
		return -1;
	for (p += 4; p + 8 <= end;) {
		uint32_t count = ((const uint32_t *)p)[1];

		p += 8;
		if ((uint64_t)count * rec_size > (uint64_t)(end - p))
			return -1;
		for (uint32_t i = 0; i < count; i++, p += rec_size) {
			const struct core_relo *r = (const void *)p;
			const struct btf_type *t;
			const char *name;
			size_t el;
			int k;

			if (r->kind == RELO_TYPE_ID_LOCAL)
				continue;
			if (r->kind > RELO_ENUMVAL_VALUE || r->kind == RELO_TYPE_ID_TARGET)
				return -1;   /* kernel type ids or deep matching: libbpf's own path */
			t = btf__type_by_id(local, r->type_id);
			name = t ? btf__name_by_offset(local, t->name_off) : NULL;
			if (!name || !*name)
				return -1;
			el = essential_len(name);
			for (k = 0; k < n; k++)
				if (lens[k] == el && !strncmp(names[k], name, el))
					break;
			if (k == n) {
				if (n == MAX_ROOTS)
					return -1;
				names[n] = name;
				lens[n++] = el;
			}
		}
	}
	return n;
}

/* A trimmed target as built and as cached: counts for the -v line, then the BTF itself. An
 * entry with no BTF (btf_len 0) records that the object needs none or libbpf's own path. */
struct trimmed {
	uint32_t names, types, kernel_types;
	size_t btf_len;
	unsigned char *btf;
};

/* Builds the trimmed kernel BTF for the object elf. False when something failed that may not
 * fail next time (memory, no kernel BTF): such an outcome is not cached. */
static bool build_trimmed(const void *elf, size_t size, struct trimmed *out)
{
	const char *names[MAX_ROOTS];
	size_t lens[MAX_ROOTS], btf_len, ext_len;
	bool found[MAX_ROOTS] = { false };
	const void *btf_data, *ext;
	struct btf *local = btf_sections(elf, size, &btf_data, &btf_len, &ext, &ext_len) ?
			    btf__new(btf_data, btf_len) : NULL;
	struct trim tr = { 0 };
	struct btf_header hdr = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				  .hdr_len = sizeof(hdr) };
	uint32_t count = 0;
	bool ok = false;
	int n;

	memset(out, 0, sizeof(*out));
	if (!local)
		return true;   /* no BTF in the object: libbpf's own path, every time */
	n = relocated_names(ext, ext_len, local, names, lens);
	if (n <= 0) {
		ok = true;
		goto out;
	}
	if (!load())
		goto out;
	tr.state = calloc(ntypes + 1, 1);
	tr.new_id = calloc(ntypes + 1, sizeof(*tr.new_id));
	if (!tr.state || !tr.new_id)
		goto out;
	for (uint32_t id = 1; id <= ntypes; id++) {
		const char *tn = name_of(type_by_id(id));

		if (!*tn)
			continue;
		for (int k = 0; k < n; k++)
			if (tn[0] == names[k][0] && !strncmp(tn, names[k], lens[k]) &&
			    (tn[lens[k]] == 0 || essential_len(tn) == lens[k])) {
				found[k] = true;
				mark(&tr, id, true, 0);
			}
	}
	/* A name with no vmlinux candidate may live in a module's BTF, which libbpf searches only
	 * without an override. */
	for (int k = 0; k < n; k++)
		if (!found[k]) {
			ok = true;
			goto out;
		}
	for (uint32_t id = 1; id <= ntypes; id++)
		if (tr.state[id])
			tr.new_id[id] = ++count;
	grow((unsigned char **)&tr.str, &tr.str_len, &tr.str_cap, 1);
	if (!tr.str)
		goto out;
	tr.str[0] = 0;
	for (uint32_t id = 1; id <= ntypes && !tr.failed; id++)
		if (tr.state[id])
			emit(&tr, id);
	if (tr.failed) {
		ok = true;   /* a type the trimming does not handle: libbpf's own path, always right */
		goto out;
	}
	hdr.type_len = tr.out_len;
	hdr.str_off = tr.out_len;
	hdr.str_len = tr.str_len;
	out->btf_len = sizeof(hdr) + tr.out_len + tr.str_len;
	out->btf = malloc(out->btf_len);
	if (!out->btf) {
		out->btf_len = 0;
		goto out;
	}
	memcpy(out->btf, &hdr, sizeof(hdr));
	memcpy(out->btf + sizeof(hdr), tr.out, tr.out_len);
	memcpy(out->btf + sizeof(hdr) + tr.out_len, tr.str, tr.str_len);
	out->names = n;
	out->types = count;
	out->kernel_types = ntypes;
	ok = true;
out:
	free(tr.state);
	free(tr.new_id);
	free(tr.out);
	free(tr.str);
	btf__free(local);
	return ok;
}

/* The trimmed kernel BTF for the object elf in a memfd, from the per-boot cache (keyed by a
 * hash of the object's bytes) or built. Returns the fd, or -1 when the object needs no kernel
 * types or libbpf's own path is the right one. */
static int trimmed_target(const void *elf, size_t size)
{
	struct trimmed t;
	char key[64];
	unsigned char *hit;
	size_t len;
	bool cached = false;
	int fd = -1;

	snprintf(key, sizeof(key), "core-%016llx-%zx",
		 (unsigned long long)bcct_hash64(elf, size, 0), size);
	if ((hit = bcct_cache_get(key, &len)) && len >= 3 * sizeof(uint32_t)) {
		memcpy(&t, hit, 3 * sizeof(uint32_t));
		t.btf_len = len - 3 * sizeof(uint32_t);
		t.btf = t.btf_len ? hit + 3 * sizeof(uint32_t) : NULL;
		cached = true;
	} else {
		free(hit);
		hit = NULL;
		if (!build_trimmed(elf, size, &t))
			return -1;
		if ((hit = malloc(3 * sizeof(uint32_t) + t.btf_len))) {
			memcpy(hit, &t, 3 * sizeof(uint32_t));
			if (t.btf_len)
				memcpy(hit + 3 * sizeof(uint32_t), t.btf, t.btf_len);
			bcct_cache_put(key, hit, 3 * sizeof(uint32_t) + t.btf_len);
		}
		free(t.btf);
		t.btf = t.btf_len && hit ? hit + 3 * sizeof(uint32_t) : NULL;
	}
	/* libbpf checks the BTF when it parses it, cached or not. */
	if (t.btf && t.btf_len >= sizeof(struct btf_header)) {
		fd = memfd_create("bcct-core-btf", MFD_CLOEXEC);
		if (fd >= 0 && write(fd, t.btf, t.btf_len) != (ssize_t)t.btf_len) {
			close(fd);
			fd = -1;
		}
		bcct_info("CO-RE target: %u type names, %u of %u kernel types (%zu bytes%s)", t.names,
			  t.types, t.kernel_types, t.btf_len, cached ? ", cached for this boot" : "");
	}
	free(hit);
	return fd;
}

const struct bpf_object_open_opts *bcct_open_opts(const void *(*elf_bytes)(size_t *sz))
{
	static _Thread_local char path[32];
	static _Thread_local struct bpf_object_open_opts opts;
	size_t size;
	const void *elf = elf_bytes(&size);
	int fd = getenv("BCCT_FULL_BTF") ? -1 : trimmed_target(elf, size);

	memset(&opts, 0, sizeof(opts));
	opts.sz = sizeof(opts);
	if (fd >= 0) {
		/* libbpf reads it at load; the memfd stays open until exit (close-on-exec). Without
		 * /proc there is no path to it: libbpf's own path then. */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (access(path, R_OK) == 0) {
			opts.btf_custom_path = path;
		} else {
			close(fd);
		}
	}
	return &opts;
}

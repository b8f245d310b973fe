/* Tracepoint record layouts from tracefs events/<category>/<event>/format:
 *
 *	field:const char * filename;	offset:24;	size:8;	signed:0;
 *	field:__data_loc char[] name;	offset:8;	size:4;	signed:1;
 *
 * Offsets and sizes are authoritative. The declared type decides how a value reads when it is
 * narrower than its slot: syscall tracepoints declare "int flags" in an 8-byte slot, and
 * "args->dfd == -100" must compare the int, so such fields read their low bytes as the declared
 * type (x86-64 is little-endian). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/features.h"
#include "core/probe/internal.h"

static char *trim_copy(struct arena *a, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* The field's type from its declaration text, falling back to the size and signedness that
 * tracefs states when the declaration is not something we can read as C. */
static const struct ctype *field_type(struct arena *a, struct tp_field *f,
				      const char *type_text, long nelem)
{
	const struct ctype *declared = NULL;
	struct typename *tn = parse_typename_range(a, type_text, 0, strlen(type_text), NULL);

	if (tn)
		declared = ct_from_typename(a, type_text, tn, NULL);
	if (f->data_loc) {
		struct ctype *t = (struct ctype *)ct_array(a, &ct_char, 0);

		t->data_loc = true;
		return t;
	}
	if (nelem >= 0) {
		const struct ctype *elem = declared && declared->kind == CT_INT ? declared : NULL;

		if (nelem > 0 && (!elem || elem->size * nelem != (unsigned)f->size)) {
			unsigned esz = f->size / nelem;

			elem = f->size % nelem == 0 && (esz == 1 || esz == 2 || esz == 4 || esz == 8) ?
			       ct_int_of(esz, f->is_signed) : NULL;
		}
		if (!elem || !nelem)
			return ct_array(a, &ct_uchar, f->size);
		return ct_array(a, elem, nelem);
	}
	if (declared && declared->kind == CT_PTR && f->size == 8)
		return declared;
	if (declared && declared->kind == CT_INT && declared->size <= (unsigned)f->size)
		return declared;
	if (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8)
		return ct_int_of(f->size, f->is_signed);
	return ct_array(a, &ct_uchar, f->size > 0 ? f->size : 0);
}

static bool parse_number_after(const char *line, const char *key, long *out)
{
	const char *p = strstr(line, key);
	char *end;

	if (!p)
		return false;
	p += strlen(key);
	errno = 0;
	*out = strtol(p, &end, 10);
	return end != p && !errno;
}

static int parse_field(struct arena *a, const char *line, struct tp_field *f)
{
	const char *decl = strstr(line, "field:"), *semi;
	char *text, *name_end, *name_start, *bracket;
	long offset, size, is_signed = 0, nelem = -1;

	if (!decl)
		return -1;
	decl += strlen("field:");
	semi = strchr(decl, ';');
	if (!semi || !parse_number_after(semi, "offset:", &offset) || !parse_number_after(semi, "size:", &size))
		return -1;
	parse_number_after(semi, "signed:", &is_signed);
	text = trim_copy(a, decl, semi - decl);
	f->offset = offset;
	f->size = size;
	f->is_signed = is_signed;
	f->data_loc = !strncmp(text, "__data_loc", 10);
	/* "char comm[16]" / "__data_loc char[] name": the name is the last identifier */
	name_end = text + strlen(text);
	if (name_end > text && name_end[-1] == ']') {
		bracket = strrchr(text, '[');
		if (!bracket)
			return -1;
		nelem = strtol(bracket + 1, NULL, 0);
		*bracket = '\0';
		name_end = bracket;
		while (name_end > text && isspace((unsigned char)name_end[-1]))
			*--name_end = '\0';
	}
	name_start = name_end;
	while (name_start > text && (isalnum((unsigned char)name_start[-1]) || name_start[-1] == '_'))
		name_start--;
	if (name_start == name_end)
		return -1;
	f->name = arena_strdup(a, name_start);
	*name_start = '\0';
	if (f->data_loc) {
		char *br = strstr(text, "[]");

		if (br)
			*br = '\0';
		memmove(text, text + 10, strlen(text + 10) + 1);
	}
	f->decl = trim_copy(a, text, strlen(text));
	f->type = field_type(a, f, f->decl, f->data_loc ? -1 : nelem);
	return 0;
}

struct tp_format *tp_format_parse(struct arena *a, const char *text,
				  const char *category, const char *event)
{
	struct tp_format *tp = arena_alloc(a, sizeof(*tp));
	int cap = 0;

	tp->category = category;
	tp->event = event;
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *copy = arena_strndup(a, line, len);

		if (strstr(copy, "field:")) {
			struct tp_field f = {0};

			if (parse_field(a, copy, &f) == 0) {
				if (tp->nfields == cap) {
					struct tp_field *bigger = arena_alloc(a, (cap = cap ? cap * 2 : 16) * sizeof(f));

					if (tp->nfields)
						memcpy(bigger, tp->fields, tp->nfields * sizeof(f));
					tp->fields = bigger;
				}
				tp->fields[tp->nfields++] = f;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!tp->nfields) {
		errno = EINVAL;
		return NULL;
	}
	return tp;
}

char *tp_format_read(const char *category, const char *event)
{
	const char *tracefs = bcct_tracefs();
	char path[512], *buf;
	size_t cap = 8192, len = 0;
	ssize_t n;
	int fd;

	if (!tracefs) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(category, '/') || strchr(event, '/') || !strcmp(category, "..") || !strcmp(event, "..")) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs, category, event);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);

			if (!bigger) {
				free(buf);
				buf = NULL;
			}
			buf = bigger;
		}
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* ---- __print_symbolic tables of a print fmt -------------------------------------------------- */

/* One number of a table entry: "12", "0x040", "0x040 + 13", "-1". */
static bool symbolic_number(const char **p, long long *out)
{
	long long sum = 0;
	char *end;

	for (;;) {
		while (isspace((unsigned char)**p))
			(*p)++;
		sum += strtoll(*p, &end, 0);
		if (end == *p)
			return false;
		*p = end;
		while (isspace((unsigned char)**p))
			(*p)++;
		if (**p != '+')
			break;
		(*p)++;
	}
	*out = sum;
	return true;
}

int tp_symbolic(const char *category, const char *event, const char *expr,
		struct tp_symbol **out, size_t *count)
{
	char *fmt = tp_format_read(category, event), head[256];
	const char *p;
	struct tp_symbol *syms = NULL;
	size_t n = 0;

	*out = NULL;
	*count = 0;
	if (!fmt)
		return -errno;
	snprintf(head, sizeof(head), "__print_symbolic(%s,", expr);
	p = strstr(fmt, head);
	if (!p) {
		free(fmt);
		return -ENOENT;
	}
	p += strlen(head);
	/* Entries { NUMBER, "name" } up to the call's closing parenthesis. */
	for (;;) {
		struct tp_symbol *more;
		const char *name, *q;
		long long value;

		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (*p++ != '{' || !symbolic_number(&p, &value) || *p++ != ',')
			break;
		while (isspace((unsigned char)*p))
			p++;
		if (*p++ != '"' || !(q = strchr(p, '"')))
			break;
		name = p;
		p = q + 1;
		while (isspace((unsigned char)*p))
			p++;
		if (*p++ != '}')
			break;
		more = realloc(syms, (n + 1) * sizeof(*syms));
		if (!more)
			break;
		syms = more;
		syms[n].value = value;
		snprintf(syms[n].name, sizeof(syms[n].name), "%.*s", (int)(q - name), name);
		n++;
	}
	free(fmt);
	*out = syms;
	*count = n;
	return n ? 0 : -ENOENT;
}

const char *tp_symbol_name(const struct tp_symbol *syms, size_t count, long long value)
{
	for (size_t i = 0; i < count; i++)
		if (syms[i].value == value)
			return syms[i].name;
	return NULL;
}

/* ---- one field's offset, for compiled programs ---------------------------------------------- */

int tp_field_offset(const char *category, const char *event, const char *field)
{
	struct arena a = {0};
	char *text = tp_format_read(category, event);
	struct tp_format *tp = text ? tp_format_parse(&a, text, category, event) : NULL;
	int offset = -1;

	for (int i = 0; tp && i < tp->nfields; i++)
		if (!strcmp(tp->fields[i].name, field))
			offset = tp->fields[i].offset;
	arena_free(&a);
	free(text);
	return offset;
}

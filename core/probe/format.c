/* User-space side of a record: trace's message is the format string with each conversion
 * applied to its field as stored (int for %d, unsigned long long for %llu, ...), the way BCC's
 * trace formats the ctypes fields; %K and %U go through the caller's symbolizer. argdist keys
 * read "expr = value, expr = value". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/probe/internal.h"

uint64_t probe_field_value(const struct probe_field *f, const void *record)
{
	const unsigned char *rec = record;
	uint64_t v = 0;

	memcpy(&v, rec + f->offset, f->size);   /* little-endian: the low bytes */
	if (f->is_signed && f->size < 8 && ((v >> (8 * f->size - 1)) & 1))
		v |= ~0ULL << (8 * f->size);
	return v;
}

/* "%-8lld" -> "%-8" (flags, width, precision): the printer supplies its own length. */
static void conv_prefix(const char *spec, char *out, size_t len)
{
	size_t n = strlen(spec);

	if (n)
		n--;                               /* the conversion letter */
	while (n > 1 && strchr("hlzjt", spec[n - 1]))
		n--;
	snprintf(out, len, "%.*s", (int)n, spec);
}

int probe_format_event(const struct probe_program *p, const void *data, size_t size,
		       const struct probe_symbolizer *sym, char *buf, size_t len)
{
	const unsigned char *rec = data;
	const struct probe_event_header *h = data;
	struct sbuf b = {0};
	const char *f = p->format;
	unsigned k = 0;
	int n;

	if (size < p->layout.size)
		return -1;
	for (; f && *f; f++) {
		const struct probe_field *fld;
		char prefix[24], spec[40], text[256];
		uint64_t v;

		if (*f != '%') {
			sbuf_putc(&b, *f);
			continue;
		}
		if (f[1] == '%') {
			sbuf_putc(&b, '%');
			f++;
			continue;
		}
		if (k >= p->layout.nfields)
			break;
		fld = &p->layout.fields[k++];
		f += strlen(fld->spec) - 1;   /* the parser checked the spec is exactly this */
		conv_prefix(fld->spec, prefix, sizeof(prefix));
		if (fld->is_string) {
			char *s = strndup((const char *)rec + fld->offset, fld->size);

			snprintf(spec, sizeof(spec), "%ss", prefix);
			sbuf_printf(&b, spec, s ? s : "");
			free(s);
			continue;
		}
		v = probe_field_value(fld, rec);
		switch (fld->conv) {
		case 'c':
			snprintf(spec, sizeof(spec), "%sc", prefix);
			sbuf_printf(&b, spec, (int)(char)v);
			break;
		case 'p':
			snprintf(spec, sizeof(spec), "%sp", prefix);
			sbuf_printf(&b, spec, (void *)(uintptr_t)v);
			break;
		case 'K':
		case 'U':
			if (!sym || !(fld->conv == 'K' ? sym->kernel && sym->kernel(sym->ctx, v, text, sizeof(text)) :
				      sym->user && sym->user(sym->ctx, h->tgid, v, text, sizeof(text))))
				snprintf(text, sizeof(text), "0x%llx", (unsigned long long)v);
			snprintf(spec, sizeof(spec), "%ss", prefix);
			sbuf_printf(&b, spec, text);
			break;
		default:
			snprintf(spec, sizeof(spec), "%sll%c", prefix, fld->conv);
			if (fld->conv == 'd' || fld->conv == 'i')
				sbuf_printf(&b, spec, (long long)v);
			else
				sbuf_printf(&b, spec, (unsigned long long)v);
		}
	}
	n = (int)b.len;
	if (len)
		snprintf(buf, len, "%s", b.s ? b.s : "");
	free(b.s);
	return n;
}

int probe_format_key(const struct probe_program *p, const void *key, char *buf, size_t len)
{
	const unsigned char *rec = key;
	struct sbuf b = {0};
	int n;

	for (unsigned i = 0; i < p->layout.nfields; i++) {
		const struct probe_field *f = &p->layout.fields[i];

		if (p->default_expr) {   /* BCC's wording for the implicit expressions */
			if (!f->expr[0])
				sbuf_printf(&b, "total calls");
			else
				sbuf_printf(&b, "retval = %lld", (long long)probe_field_value(f, rec));
			continue;
		}
		sbuf_printf(&b, "%s%s = ", i ? ", " : "", f->expr);
		if (f->is_string)
			sbuf_printf(&b, "%.*s", (int)strnlen((const char *)rec + f->offset, f->size),
				    (const char *)rec + f->offset);
		else if (f->is_signed)
			sbuf_printf(&b, "%lld", (long long)probe_field_value(f, rec));
		else
			sbuf_printf(&b, "%llu", (unsigned long long)probe_field_value(f, rec));
	}
	n = (int)b.len;
	if (len)
		snprintf(buf, len, "%s", b.s ? b.s : "");
	free(b.s);
	return n;
}

/* Frame text as BCC prints it (BPF.sym/ksym: name, "+0x%x" offset when asked and known,
 * " [module base name]" when asked), plus "[unknown] (/path+0xoff)" for unresolved frames. */
#include "symbolize/symbolize.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends with snprintf semantics: truncates, keeps buf terminated, never overruns. */
static size_t append(char *buf, size_t len, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static size_t append(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	if (at >= len)
		return at;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + (size_t)n;
}

/* How BCC shows a module: the base name of a path ("libc.so.6"), "[kernel]" for the kernel image,
 * the module name for modules; bracketed names ("[vdso]") as they are. NULL when there is
 * nothing to show (anonymous memory, no mapping). */
static const char *module_label(const char *module, char *tmp, size_t len)
{
	if (!module || !module[0] || strcmp(module, "[unknown]") == 0)
		return NULL;
	if (module[0] == '[')
		return module;
	const char *slash = strrchr(module, '/');
	snprintf(tmp, len, "[%s]", slash ? slash + 1 : module);
	return tmp;
}

const char *sym_format_ex(const struct bcct_sym *s, bool ok, unsigned flags, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	/* The module is read only when asked for: callers may pass an unfilled s with ok false. */
	char label[512];
	const char *module = s && (flags & (SYM_FMT_MODULE | SYM_FMT_LOCATION))
				     ? module_label(s->module, label, sizeof(label))
				     : NULL;
	size_t at;
	if (ok && s && s->name) {
		at = append(buf, len, 0, "%s", s->name);
		if (flags & SYM_FMT_OFFSET)
			at = append(buf, len, at, "+0x%" PRIx64, s->offset);
		if ((flags & SYM_FMT_MODULE) && module)
			append(buf, len, at, " %s", module);
		return buf;
	}
	at = append(buf, len, 0, "[unknown]");
	if ((flags & SYM_FMT_LOCATION) && module)
		append(buf, len, at, " (%s+0x%" PRIx64 ")", s->module, s->module_offset);
	else if ((flags & SYM_FMT_MODULE) && module)
		append(buf, len, at, " %s", module);
	return buf;
}

const char *sym_format(const struct bcct_sym *s, bool ok, bool with_offset, char *buf, size_t len)
{
	return sym_format_ex(s, ok, with_offset ? SYM_FMT_OFFSET : 0, buf, len);
}

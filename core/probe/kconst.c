/* Kernel flag macros by name: GFP_ATOMIC, GFP_KERNEL, __GFP_HIGH, ... BCC's probes are C
 * compiled against the kernel's headers, so `flags & GFP_ATOMIC` just works there; here the
 * kernel's BTF has enumerators but not macros. The kernel does spell these macros' values, for
 * its own build, in the print formats of tracepoints that print such flags:
 *
 *	__print_flags(REC->gfp_flags, "|", {( unsigned long)((( gfp_t)((((1UL))) << (5)))...), "GFP_ATOMIC"}, ...
 *
 * so a name is looked up in those {value, "NAME"} pairs and its value expression evaluated
 * (numbers, casts, parentheses, ~ << >> & |). The values are the running kernel's, whatever
 * its version renumbered. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "core/probe/internal.h"

/* Tracepoints whose formats name flag macros, with what they name. */
static const struct { const char *category, *event; } sources[] = {
	{ "kmem", "kmalloc" },          /* gfp_t: GFP_*, __GFP_* */
	{ "kmem", "mm_page_alloc" },    /* the same table, where kmalloc's format lacks it */
};

struct eval {
	const char *p, *end;
	bool ok;
};

static void skip_space(struct eval *e)
{
	while (e->p < e->end && isspace((unsigned char)*e->p))
		e->p++;
}

static bool accept(struct eval *e, const char *tok)
{
	size_t n = strlen(tok);

	skip_space(e);
	if ((size_t)(e->end - e->p) < n || memcmp(e->p, tok, n))
		return false;
	/* "<" must not take the first half of "<<", "|" of "||", "&" of "&&". */
	if (n == 1 && strchr("|&<>", tok[0]) && e->p + 1 < e->end && e->p[1] == tok[0])
		return false;
	e->p += n;
	return true;
}

static uint64_t eval_or(struct eval *e, int depth);

/* "( unsigned long)" / "( gfp_t)": identifiers and spaces only, up to ')'. */
static bool skip_cast(struct eval *e)
{
	const char *q = e->p;

	while (q < e->end && (isalnum((unsigned char)*q) || *q == '_' || *q == ' '))
		q++;
	if (q == e->p || q >= e->end || *q != ')' || isdigit((unsigned char)*e->p))
		return false;
	for (const char *c = e->p; c < q; c++)
		if (isalpha((unsigned char)*c) || *c == '_') {
			e->p = q + 1;
			return true;
		}
	return false;
}

static uint64_t eval_unary(struct eval *e, int depth)
{
	uint64_t v = 0;
	char *endp;

	if (depth > 64) {
		e->ok = false;
		return 0;
	}
	skip_space(e);
	if (accept(e, "~"))
		return ~eval_unary(e, depth + 1);
	if (accept(e, "(")) {
		if (skip_cast(e))
			return eval_unary(e, depth + 1);
		v = eval_or(e, depth + 1);
		if (!accept(e, ")"))
			e->ok = false;
		return v;
	}
	if (e->p < e->end && isdigit((unsigned char)*e->p)) {
		v = strtoull(e->p, &endp, 0);
		if (endp > e->end) {
			e->ok = false;
			return 0;
		}
		e->p = endp;
		while (e->p < e->end && strchr("uUlL", *e->p))
			e->p++;
		return v;
	}
	e->ok = false;
	return 0;
}

static uint64_t eval_shift(struct eval *e, int depth)
{
	uint64_t v = eval_unary(e, depth);

	while (e->ok) {
		uint64_t by;

		if (accept(e, "<<")) {
			by = eval_unary(e, depth);
			v = by < 64 ? v << by : 0;
		} else if (accept(e, ">>")) {
			by = eval_unary(e, depth);
			v = by < 64 ? v >> by : 0;
		} else {
			break;
		}
	}
	return v;
}

static uint64_t eval_and(struct eval *e, int depth)
{
	uint64_t v = eval_shift(e, depth);

	while (e->ok && accept(e, "&"))
		v &= eval_shift(e, depth);
	return v;
}

static uint64_t eval_or(struct eval *e, int depth)
{
	uint64_t v = eval_and(e, depth);

	while (e->ok && accept(e, "|"))
		v |= eval_and(e, depth);
	return v;
}

/* The value of NAME in the format's {expr, "NAME"} pairs. */
static bool lookup_in(const char *fmt, const char *name, uint64_t *value)
{
	size_t n = strlen(name);

	for (const char *q = strchr(fmt, '"'); q; q = strchr(q + 1, '"')) {
		const char *open, *comma;
		int depth = 0;

		if (strncmp(q + 1, name, n) || q[n + 1] != '"' || q[n + 2] != '}')
			continue;
		/* Back from the name: the comma before it, then the '{' opening the pair. */
		for (comma = q - 1; comma > fmt && isspace((unsigned char)*comma); comma--)
			;
		if (*comma != ',')
			continue;
		for (open = comma - 1; open > fmt; open--) {
			if (*open == ')')
				depth++;
			else if (*open == '(')
				depth--;
			else if (*open == '{' && depth == 0)
				break;
		}
		if (*open != '{')
			continue;
		struct eval e = { .p = open + 1, .end = comma, .ok = true };

		*value = eval_or(&e, 0);
		skip_space(&e);
		if (e.ok && e.p == e.end)
			return true;
	}
	return false;
}

bool kconst_value(const char *name, uint64_t *value)
{
	static _Thread_local char *formats[sizeof(sources) / sizeof(*sources)];
	static _Thread_local bool read;

	if (!isupper((unsigned char)name[0]) && name[0] != '_')
		return false;
	if (!read) {
		read = true;
		for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++)
			formats[i] = tp_format_read(sources[i].category, sources[i].event);
	}
	for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++)
		if (formats[i] && lookup_in(formats[i], name, value))
			return true;
	return false;
}

uint64_t kconst_eval(const char *text, bool *ok)
{
	struct eval e = { .p = text, .end = text + strlen(text), .ok = true };
	uint64_t v = eval_or(&e, 0);

	skip_space(&e);
	*ok = e.ok && e.p == e.end;
	return v;
}

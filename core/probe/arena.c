/* Arena allocation for everything a spec or a program owns (tokens, nodes, types, names): one
 * free at the end instead of ownership bookkeeping on every error path of the parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/probe/internal.h"

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_BLOCK (16 * 1024)

static void *xcalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p) {
		fputs("bcct: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!b || b->used + n > b->cap) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = xcalloc(sizeof(*b) + cap);
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = arena_alloc(a, n + 1);
	va_start(ap, fmt);
	vsnprintf(p, n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

static void sbuf_reserve(struct sbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	while (b->len + more + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->s = realloc(b->s, b->cap);
	if (!b->s) {
		fputs("bcct: out of memory\n", stderr);
		abort();
	}
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sbuf_reserve(b, n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

void sbuf_putc(struct sbuf *b, char c)
{
	sbuf_reserve(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void sbuf_escaped(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '\n': sbuf_printf(b, "\\n"); break;
		case '\t': sbuf_printf(b, "\\t"); break;
		case '\\': sbuf_printf(b, "\\\\"); break;
		case '"': sbuf_printf(b, "\\\""); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				sbuf_printf(b, "\\x%02x", c);
			else
				sbuf_putc(b, c);
		}
	}
}

/* Kernel symbols from /proc/kallsyms: read once on first use, text symbols only, sorted by
 * address. Names live in one arena: the file buffer itself, compacted in place, so loading
 * ~120k symbols costs one read, one pass, no per-symbol allocation, and a sort only of what
 * the kernel left out of order. */
#include "symbolize/symbolize.h"
#include "symbolize/internal.h"
#include "core/sys/sys.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL_MODULE UINT32_MAX /* ksym.module value for symbols of the kernel image */

struct ksym {
	uint64_t addr;
	uint32_t name;   /* offset into arena */
	uint32_t module; /* offset into arena, or KERNEL_MODULE */
};

static struct ksym_table ktab; /* /proc/kallsyms */
static pthread_once_t ktab_once = PTHREAD_ONCE_INIT;

static bool is_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Address order; file order (the arena offset) among aliases, so results are stable. */
static int ksym_cmp(const void *pa, const void *pb)
{
	const struct ksym *a = pa, *b = pb;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return (a->name > b->name) - (a->name < b->name);
}

static char *next_line(char *p, char *end)
{
	char *eol = memchr(p, '\n', (size_t)(end - p));
	return eol ? eol + 1 : end;
}

/* The kernel lists vmlinux and most modules in address order; symbols added at run time (BPF
 * programs, trampolines) trail unsorted. Sorting only that tail and merging it back costs a
 * fraction of sorting everything. */
static void sort_symbols(struct ksym_table *t)
{
	struct ksym *syms = t->syms;
	size_t n = t->count, sorted = 1;
	while (sorted < n && ksym_cmp(&syms[sorted - 1], &syms[sorted]) <= 0)
		sorted++;
	if (sorted == n)
		return;
	struct ksym *merged = malloc(n * sizeof(*syms));
	if (!merged) {
		qsort(syms, n, sizeof(*syms), ksym_cmp);
		return;
	}
	qsort(syms + sorted, n - sorted, sizeof(*syms), ksym_cmp);
	size_t a = 0, b = sorted, out = 0;
	while (a < sorted && b < n)
		merged[out++] = ksym_cmp(&syms[a], &syms[b]) <= 0 ? syms[a++] : syms[b++];
	while (a < sorted)
		merged[out++] = syms[a++];
	while (b < n)
		merged[out++] = syms[b++];
	free(syms);
	t->syms = merged;
}

/* Line format: "ffffffff81000000 T _stext" optionally followed by "\t[module]". */
bool kallsyms_parse_buffer(char *buf, size_t len, struct ksym_table *out)
{
	*out = (struct ksym_table){0};
	if (!buf)
		return false;
	buf[len] = '\0'; /* the caller's terminator: the scans below stop at it */

	/* About one text symbol per 32 bytes of a real file; grown as needed. */
	size_t cap = len / 32 + 64, count = 0;
	if (cap > 1 << 17)
		cap = 1 << 17;
	struct ksym *syms = malloc(cap * sizeof(*syms));
	char *w = buf;                      /* arena write position, never ahead of p */
	uint32_t last_module = KERNEL_MODULE; /* module symbols come in runs: reuse the name */
	char *p = buf, *end = buf + len;

	while (syms && p < end) {
		uint64_t addr = 0;
		int v;
		while ((v = hexval(*p)) >= 0) {
			addr = addr << 4 | (uint64_t)v;
			p++;
		}
		/* addr 0 means kptr_restrict hides addresses from us: such a symbol is useless. */
		if (addr == 0 || p[0] != ' ' || !is_text_type(p[1]) || p[2] != ' ') {
			p = next_line(p, end);
			continue;
		}
		if (count == cap) {
			cap *= 2;
			struct ksym *bigger = realloc(syms, cap * sizeof(*syms));
			if (!bigger) {
				free(syms);
				syms = NULL;
				break;
			}
			syms = bigger;
		}
		struct ksym *s = &syms[count++];
		s->addr = addr;
		s->name = (uint32_t)(w - buf);
		/* Scan and copy in one pass; w trails p by at least the "addr t " prefix. */
		for (p += 3; *p != '\t' && *p != '\n' && *p != ' ' && *p != '\0'; p++)
			*w++ = *p;
		*w++ = '\0';

		s->module = KERNEL_MODULE;
		if (p[0] == '\t' && p[1] == '[') {
			const char *module = p + 2;
			size_t module_len = strcspn(module, "]\n");
			if (last_module == KERNEL_MODULE || strncmp(buf + last_module, module, module_len) ||
			    buf[last_module + module_len] != '\0') {
				last_module = (uint32_t)(w - buf);
				memmove(w, module, module_len);
				w[module_len] = '\0';
				w += module_len + 1;
			}
			s->module = last_module;
		}
		p = next_line(p, end);
	}

	if (!syms || count == 0) {
		free(syms);
		free(buf);
		return false;
	}
	char *arena = realloc(buf, (size_t)(w - buf)); /* give back the skipped lines */
	out->arena = arena ? arena : buf;
	struct ksym *fitted = realloc(syms, count * sizeof(*syms));
	out->syms = fitted ? fitted : syms;
	out->count = count;
	sort_symbols(out);
	return true;
}

void kallsyms_free(struct ksym_table *t)
{
	free(t->syms);
	free(t->arena);
	*t = (struct ksym_table){0};
}

static void ktab_load(void)
{
	size_t len;
	char *buf = sys_read_file("/proc/kallsyms", SYS_READ_LARGE, &len);
	if (buf)
		kallsyms_parse_buffer(buf, len, &ktab);
}

static void ktab_ensure(void)
{
	pthread_once(&ktab_once, ktab_load);
}

bool kallsyms_lookup(const struct ksym_table *t, uint64_t addr, struct bcct_sym *out)
{
	*out = (struct bcct_sym){0};
	if (t->count == 0 || addr < t->syms[0].addr)
		return false;

	/* Find the last symbol starting at or below addr, then the preferred alias among those at
	 * the same address (aliases are rare and runs short, so this beats sorting by preference).
	 * Kallsyms has no sizes: a symbol extends to the next one, as in BCC. */
	size_t lo = 0, hi = t->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t best = lo - 1;
	for (size_t j = best; j > 0 && t->syms[j - 1].addr == t->syms[best].addr; j--) {
		const char *alias = t->arena + t->syms[j - 1].name;
		if (sym_name_preference(alias, t->arena + t->syms[best].name) <= 0)
			best = j - 1; /* ties go to the earlier in file order */
	}

	const struct ksym *s = &t->syms[best];
	out->name = t->arena + s->name;
	out->offset = addr - s->addr;
	out->module = s->module == KERNEL_MODULE ? "[kernel]" : t->arena + s->module;
	out->module_offset = addr;
	return true;
}

bool sym_kernel(uint64_t addr, struct bcct_sym *out)
{
	ktab_ensure();
	return kallsyms_lookup(&ktab, addr, out);
}

uint64_t kallsyms_addr(const struct ksym_table *t, const char *name)
{
	/* A linear scan: name lookups happen at attach time, a few per run, and ~120k strcmp take
	 * well under a millisecond; a name index would cost more memory than it saves. */
	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->arena + t->syms[i].name, name) == 0)
			return t->syms[i].addr;
	return 0;
}

uint64_t sym_kernel_addr(const char *name)
{
	ktab_ensure();
	return kallsyms_addr(&ktab, name);
}

/* BCC probe specifications: parsing, library lookup, expansion into targets, attachment with a
 * BPF cookie per target. See probespec.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "core/btf.h"
#include "core/features.h"
#include "core/log.h"
#include "core/output.h"
#include "core/probe/probespec.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "symbolize/symbolize.h"
#include "symbolize/usdt.h"

/* ---- errors ----------------------------------------------------------------------------- */

void ps_error(const char *spec, long col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int pre;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	pre = fprintf(stderr, "%s: probe \"", bcct_prog);
	fprintf(stderr, "%s\": %s\n", spec, msg);
	if (col >= 0)
		fprintf(stderr, "%*s^\n", pre + (int)col, "");
}

/* ---- library lookup --------------------------------------------------------------------- */

/* ---- parsing ---------------------------------------------------------------------------- */

static const char *kind_noun(enum ps_kind k)
{
	switch (k) {
	case PS_KFUNC: return "kernel functions";
	case PS_UFUNC: return "user functions";
	case PS_TRACEPOINT: return "tracepoints (t:)";
	case PS_USDT: return "USDT probes (u:)";
	}
	return "?";
}

static unsigned kind_flag(enum ps_kind k)
{
	switch (k) {
	case PS_KFUNC: return PS_F_KFUNC;
	case PS_UFUNC: return PS_F_UFUNC;
	case PS_TRACEPOINT: return PS_F_TRACEPOINT;
	case PS_USDT: return PS_F_USDT;
	}
	return 0;
}

#define MAX_PARTS 4

int ps_parse_at(const char *whole, size_t at, size_t len, unsigned flags, pid_t pid,
			    struct ps_spec *ps)
{
	char *buf = strndup(whole + at, len), *part[MAX_PARTS], resolved[4096];
	size_t col[MAX_PARTS];
	const char *lib = NULL, *provider = NULL, *pattern = NULL, *type = NULL;
	size_t lib_col = 0, pat_col = 0;
	int n = 1;

	memset(ps, 0, sizeof(*ps));
	ps->flags = flags;
	ps->pid = pid;
	ps->text = strndup(whole + at, len);
	if (!buf || !ps->text) {
		free(buf);
		bcct_err("out of memory");
		return BCCT_EXIT_FAIL;
	}
#define SYNTAX(c, ...) \
	do { ps_error(whole, (long)(at + (c)), __VA_ARGS__); goto usage; } while (0)
	if (!*buf)
		SYNTAX(0, "empty probe specification");
	part[0] = buf;
	col[0] = 0;
	for (char *c = buf; *c; c++) {
		if (*c != ':')
			continue;
		if (n == MAX_PARTS)
			SYNTAX(c - buf, "too many ':'-separated parts");
		*c = 0;
		part[n] = c + 1;
		col[n++] = c + 1 - buf;
	}

	switch (n) {
	case 1:                                             /* func */
		ps->kind = PS_KFUNC;
		pattern = part[0];
		break;
	case 2:                                             /* lib:func, p:func, r:func */
		if (!strcmp(part[0], "t"))
			SYNTAX(col[1], "a tracepoint is t:category:event");
		if (!strcmp(part[0], "u"))
			SYNTAX(col[1], "a USDT probe is u:library:probe or u:library:provider:probe");
		if (!strcmp(part[0], "p") || !strcmp(part[0], "r")) {
			type = part[0];
		} else {
			lib = part[0];
			lib_col = col[0];
		}
		pattern = part[1];
		pat_col = col[1];
		break;
	case 3:                                             /* p:lib:func, t:cat:event, u:lib:probe */
	case 4:                                             /* u:lib:provider:probe */
		type = part[0];
		if (strlen(type) != 1 || !strchr("prtu", *type))
			SYNTAX(0, "probe type must be p (function), %st (tracepoint) or u (USDT), not \"%s\"",
			       flags & PS_F_RETPROBE ? "r (function return), " : "", type);
		if (n == 4 && *type != 'u')
			SYNTAX(col[3] - 1, "too many ':'-separated parts");
		lib = part[1];
		lib_col = col[1];
		if (*type == 't') {
			if (!*part[1])
				SYNTAX(col[1], "missing tracepoint category");
			part[1][strlen(part[1])] = ':';         /* "category:event" */
			lib = NULL;
			pattern = part[1];
			pat_col = col[1];
			if (!*part[2])
				SYNTAX(col[2], "missing tracepoint name");
			break;
		}
		if (*type == 'u' && !*lib)
			SYNTAX(col[1], "a USDT probe needs a library or binary");
		if (n == 4) {
			provider = part[2];
			if (!*provider)
				SYNTAX(col[2], "missing USDT provider");
		}
		pattern = part[n - 1];
		pat_col = col[n - 1];
		break;
	}
	if (type && *type == 'r') {
		ps->retprobe = true;
		if (!(flags & PS_F_RETPROBE))
			SYNTAX(0, "return probes (r:) are not supported by %s", bcct_prog);
	}
	if (lib && !*lib)
		lib = NULL;                                 /* p::func is a kernel function */
	if (type && *type == 't')
		ps->kind = PS_TRACEPOINT;
	else if (type && *type == 'u')
		ps->kind = PS_USDT;
	else
		ps->kind = lib ? PS_UFUNC : PS_KFUNC;
	if (!*pattern)
		SYNTAX(pat_col, "missing %s name", ps->kind == PS_USDT ? "probe" : "function");
	if (!(flags & kind_flag(ps->kind)))
		SYNTAX(ps->kind == PS_UFUNC ? lib_col : 0, "%s are not supported by %s", kind_noun(ps->kind),
		       bcct_prog);

	ps->pattern = strdup(pattern);
	ps->provider = provider ? strdup(provider) : NULL;
	if (flags & PS_F_REGEX) {
		char *re = malloc(strlen(pattern) + (provider ? strlen(provider) : 0) + 16);
		int err;

		/* Python's re.match: anchored at the start only. */
		if (provider)
			sprintf(re, "^(%s):(%s)", provider, pattern);
		else
			sprintf(re, "^(%s)", pattern);
		err = regcomp(&ps->re, re, REG_EXTENDED | REG_NOSUB);
		free(re);
		if (err) {
			char why[128];

			regerror(err, &ps->re, why, sizeof(why));
			SYNTAX(provider ? col[2] : pat_col, "bad regular expression: %s", why);
		}
		ps->regex = true;
	}
	if (lib) {
		ps->lib = strdup(lib);
		/* BCC's BPF.find_library, then find_exe; with -p as the process sees it (its mount
		 * namespace), kept open so that the inode found is the one read and attached. */
		if (pid > 0) {
			char self[32];
			int fd = sys_pid_find_library(pid, lib, true, resolved, sizeof(resolved));

			if (fd < 0)
				SYNTAX(lib_col, "cannot find library or executable \"%s\" in process %d", lib,
				       (int)pid);
			snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
			ps->fd = fd;
			ps->shown = strdup(resolved);
			ps->path = strdup(self);
		} else {
			if (!sys_find_library(lib, true, resolved, sizeof(resolved)))
				SYNTAX(lib_col, "cannot find library or executable \"%s\"", lib);
			ps->path = strdup(resolved);
		}
	}
#undef SYNTAX
	free(buf);
	return 0;
usage:
	free(buf);
	ps_free(ps);
	return BCCT_EXIT_USAGE;
}

int ps_parse(const char *text, unsigned flags, pid_t pid, struct ps_spec *ps)
{
	return ps_parse_at(text, 0, strlen(text), flags, pid, ps);
}

void ps_free(struct ps_spec *ps)
{
	if (ps->regex)
		regfree(&ps->re);
	free(ps->text);
	free(ps->lib);
	free(ps->path);
	if (ps->shown)
		close(ps->fd);
	free(ps->shown);
	free(ps->provider);
	free(ps->pattern);
	memset(ps, 0, sizeof(*ps));
}

static bool match(const struct ps_spec *ps, const char *s)
{
	return ps->regex ? regexec(&ps->re, s, 0, NULL, 0) == 0 : fnmatch(ps->pattern, s, 0) == 0;
}

/* ---- kernel support --------------------------------------------------------------------- */

/* "(CONFIG_KPROBES off)" out of "no kprobe PMU and no kprobe_events (CONFIG_KPROBES off)". */
static const char *why_short(enum bcct_feature f, char *buf, size_t len)
{
	const char *w = bcct_feature_why(f), *open = strrchr(w, '(');

	snprintf(buf, len, "%s", open ? open + 1 : w);
	if (open && strchr(buf, ')'))
		*strchr(buf, ')') = 0;
	return buf;
}

/* Can a spec of this kind attach on this kernel, in a tool taking these flags? */
static bool kind_usable(enum ps_kind k, unsigned flags)
{
	switch (k) {
	case PS_KFUNC: return bcct_has(FEAT_KPROBE) || ((flags & PS_F_FENTRY) && bcct_has(FEAT_FENTRY));
	case PS_UFUNC:
	case PS_USDT: return bcct_has(FEAT_USDT);
	case PS_TRACEPOINT: return bcct_has(FEAT_TRACEPOINT);
	}
	return false;
}

/* The kinds among `flags` that are (or are not) usable here, as a list:
 * "tracepoints (t:), user functions and USDT probes (u:)". Returns how many. */
static int join_kinds(unsigned flags, bool usable, char *buf, size_t len)
{
	static const enum ps_kind order[] = { PS_TRACEPOINT, PS_UFUNC, PS_USDT, PS_KFUNC };
	size_t used = 0;
	int n = 0, k = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		n += (flags & kind_flag(order[i])) && kind_usable(order[i], flags) == usable;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(flags & kind_flag(order[i])) || kind_usable(order[i], flags) != usable)
			continue;
		k++;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
				 k == 1 ? "" : k == n ? " and " : ", ",
				 order[i] == PS_USDT ? "USDT" : kind_noun(order[i]));
	}
	return n;
}

int ps_kinds_summary(unsigned flags, char *buf, size_t len)
{
	char works[160], fails[160], why[128] = "";
	int nworks = join_kinds(flags, true, works, sizeof(works));
	int nfails = join_kinds(flags, false, fails, sizeof(fails));
	bool kfunc_fails = (flags & PS_F_KFUNC) && !kind_usable(PS_KFUNC, flags);

	if (kfunc_fails)
		why_short(FEAT_KPROBE, why, sizeof(why));
	snprintf(buf, len, "probes given at run time: %s%s%s%s%s%s%s", works, nworks ? " work" : "",
		 nworks && nfails ? "; " : "", fails, !nfails ? "" : kfunc_fails ? " need kprobes (" : " do not",
		 why, kfunc_fails ? ")" : "");
	return nworks;
}

int ps_supported(const struct ps_spec *ps)
{
	char why[128], works[160];
	int nworks;

	if (kind_usable(ps->kind, ps->flags))
		return 0;
	switch (ps->kind) {
	case PS_KFUNC:
		/* What does work, among what this tool takes: "tracepoints (t:), user functions and USDT". */
		nworks = join_kinds(ps->flags & ~PS_F_KFUNC, true, works, sizeof(works));
		if (!bcct_has(FEAT_FENTRY))
			bcct_err("kernel functions need kprobes or fentry, which this kernel lacks (%s)%s%s%s",
				 why_short(FEAT_KPROBE, why, sizeof(why)), nworks ? "; " : "", works,
				 nworks ? " work" : "");
		else
			bcct_err("kernel functions need kprobes, which this kernel lacks (%s); "
				 "%s through fentry is not implemented%s%s%s", why_short(FEAT_KPROBE, why, sizeof(why)),
				 bcct_prog, nworks ? "; " : "", works, nworks ? " work" : "");
		return BCCT_EXIT_FAIL;
	case PS_UFUNC:
		if (bcct_has(FEAT_UPROBE))
			return 0;
		bcct_err("user functions need uprobes, which this kernel lacks (%s)",
			 bcct_feature_why(FEAT_UPROBE));
		return BCCT_EXIT_FAIL;
	case PS_TRACEPOINT:
		if (bcct_has(FEAT_TRACEPOINT))
			return 0;
		bcct_err("tracepoints need tracefs: %s", bcct_feature_why(FEAT_TRACEPOINT));
		return BCCT_EXIT_FAIL;
	case PS_USDT:
		if (bcct_has(FEAT_USDT))
			return 0;
		bcct_err("USDT probes need uprobes, which this kernel lacks (%s)", bcct_feature_why(FEAT_USDT));
		return BCCT_EXIT_FAIL;
	}
	return 0;
}

/* ---- targets ---------------------------------------------------------------------------- */

static struct ps_target *add_target(struct ps_targets *t, const char *name, const char *func,
				      const char *event)
{
	struct ps_target *x;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct ps_target *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	x = &t->v[t->n];
	memset(x, 0, sizeof(*x));
	x->name = strdup(name);
	x->func = func ? strdup(func) : NULL;
	x->event = event ? strdup(event) : NULL;
	if (!x->name || (func && !x->func) || (event && !x->event)) {
		free(x->name);
		free(x->func);
		free(x->event);
		return NULL;
	}
	t->n++;
	return x;
}

void ps_targets_free(struct ps_targets *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].func);
		free(t->v[i].event);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Candidates before deduplication: kept in discovery order. */
struct cand {
	char *name;
	uint64_t addr, offset;
	size_t seq;
	bool drop;
};

static int cand_by_addr(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cand_by_name(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cand_by_seq(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* BCC keeps one probe per address and one per name (the first seen): uprobes cannot share an
 * address, and aliases would count the same calls twice. by_addr false: names only. */
static void dedupe(struct cand *c, size_t n, bool by_addr)
{
	if (by_addr) {
		qsort(c, n, sizeof(*c), cand_by_addr);
		for (size_t i = 1; i < n; i++)
			if (c[i].addr == c[i - 1].addr)
				c[i].drop = true;
	}
	qsort(c, n, sizeof(*c), cand_by_name);
	for (size_t i = 1, last = 0; i < n; i++) {
		if (c[i].drop)
			continue;
		if (!c[last].drop && !strcmp(c[i].name, c[last].name))
			c[i].drop = true;
		else
			last = i;
	}
	qsort(c, n, sizeof(*c), cand_by_seq);
}

static int push_cand(struct cand **c, size_t *n, size_t *cap, const char *name, uint64_t addr,
		     uint64_t offset)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct cand *more = realloc(*c, nc * sizeof(**c));

		if (!more)
			return -ENOMEM;
		*c = more;
		*cap = nc;
	}
	(*c)[*n] = (struct cand){ .name = strdup(name), .addr = addr, .offset = offset, .seq = *n };
	if (!(*c)[*n].name)
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* Function symbols of ps->path (.symtab and .dynsym, in section order) matching the pattern. */
static int expand_ufunc(const struct ps_spec *ps, struct ps_targets *t)
{
	int fd = open(ps->path, O_RDONLY | O_CLOEXEC), err = 0;
	struct cand *c = NULL;
	size_t n = 0, cap = 0;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf *elf;

	if (fd < 0) {
		bcct_err("cannot open %s: %s", ps_file_name(ps), strerror(errno));
		return -1;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		bcct_err("%s: not an ELF file", ps_file_name(ps));
		err = -1;
		goto out;
	}
	/* .symtab and .dynsym, in section order */
	while (!err && (scn = sys_elf_next_symtab(elf, scn, 0, &sh))) {
		struct sys_elf_symbols it;
		struct sys_elf_function f;

		if (!sys_elf_symbols_open(&it, elf, scn))
			continue;
		while (!err && sys_elf_next_function(&it, &f)) {
			uint64_t offset;

			if (!match(ps, f.name) || !sys_elf_function_file_offset(elf, &f, &offset))
				continue;
			if (push_cand(&c, &n, &cap, f.name, f.value, offset))
				err = -1;
		}
	}
	if (err) {
		bcct_err("out of memory");
		goto out;
	}
	dedupe(c, n, true);
	for (size_t i = 0; i < n && !err; i++) {
		struct ps_target *x;

		if (c[i].drop)
			continue;
		x = add_target(t, c[i].name, c[i].name, NULL);
		if (!x) {
			bcct_err("out of memory");
			err = -1;
			break;
		}
		x->addr = c[i].addr;
		x->offset = c[i].offset;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	free(c);
	if (elf)
		elf_end(elf);
	close(fd);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in the kprobe blacklist ("0xstart-0xend\tname"), sorted, for bsearch. */
static char **kprobe_blacklist(size_t *n)
{
	char *text = sys_read_file("/sys/kernel/debug/kprobes/blacklist", SYS_READ_SMALL, NULL), *line, *save = NULL;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (!text)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name = strpbrk(line, " \t");

		if (!name)
			continue;
		name += strspn(name, " \t");
		name[strcspn(name, " \t")] = 0;
		if (*n == cap) {
			char **more = realloc(names, (cap = cap ? cap * 2 : 256) * sizeof(*names));

			if (!more)
				break;
			names = more;
		}
		names[(*n)++] = strdup(name);
	}
	free(text);
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

/* Kernel functions matching the pattern: available_filter_functions ("name [module]") where
 * tracefs has it, else the text symbols of /proc/kallsyms; without what kprobes refuse (the
 * blacklist) and what BCC leaves out (tracing and perf internals). */
static int expand_kfunc(const struct ps_spec *ps, struct ps_targets *t)
{
	static const char *const skip_prefix[] = { "__bpf_trace_", "bpf_trace_", "kprobe_", "__kprobe",
						   "_kbl_addr_", "__perf", "perf_", "__traceiter_" };
	const struct sys_kernel_functions *k = sys_kernel_functions(bcct_tracefs());
	struct cand *c = NULL;
	size_t n = 0, cap = 0, nblack;
	char **black;
	int err = 0;

	if (!k) {
		bcct_err("cannot read the kernel's function list (available_filter_functions, /proc/kallsyms)");
		return -1;
	}
	black = kprobe_blacklist(&nblack);
	for (size_t f = 0; f < k->count && !err; f++) {
		const char *name = k->names[f];
		bool skip = false;

		if (!match(ps, name))
			continue;
		for (size_t i = 0; i < sizeof(skip_prefix) / sizeof(skip_prefix[0]) && !skip; i++)
			skip = !strncmp(name, skip_prefix[i], strlen(skip_prefix[i]));
		if (skip || (nblack && bsearch(&name, black, nblack, sizeof(*black), cmp_str)))
			continue;
		err = push_cand(&c, &n, &cap, name, 0, 0);
	}
	if (!err) {
		dedupe(c, n, false);
		for (size_t i = 0; i < n && !err; i++)
			if (!c[i].drop && !add_target(t, c[i].name, c[i].name, NULL))
				err = -1;
	}
	if (err)
		bcct_err("out of memory");
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	for (size_t i = 0; i < nblack; i++)
		free(black[i]);
	free(black);
	free(c);
	return err;
}

static int only_dirs(const struct dirent *d)
{
	return d->d_name[0] != '.' && (d->d_type == DT_DIR || d->d_type == DT_UNKNOWN);
}

/* Tracepoints "category:event" of tracefs matching the pattern, sorted. */
static int expand_tracepoint(const struct ps_spec *ps, struct ps_targets *t)
{
	const char *tfs = bcct_tracefs();
	struct dirent **cats = NULL;
	char dir[512];
	int ncat, err = 0;

	if (!tfs) {
		bcct_err("tracefs is not mounted and cannot be mounted");
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/events", tfs);
	ncat = scandir(dir, &cats, only_dirs, alphasort);
	if (ncat < 0) {
		bcct_err("cannot list %s: %s", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < ncat; i++) {
		struct dirent **evs = NULL;
		int nev;

		snprintf(dir, sizeof(dir), "%s/events/%s", tfs, cats[i]->d_name);
		nev = err ? -1 : scandir(dir, &evs, only_dirs, alphasort);
		for (int j = 0; j < nev; j++) {
			char name[512];

			snprintf(name, sizeof(name), "%s:%s", cats[i]->d_name, evs[j]->d_name);
			if (!err && match(ps, name) && !add_target(t, name, cats[i]->d_name, evs[j]->d_name))
				err = -1;
			free(evs[j]);
		}
		free(evs);
		free(cats[i]);
	}
	free(cats);
	if (err)
		bcct_err("out of memory");
	return err;
}

struct usdt_walk {
	const struct ps_spec *ps;
	struct ps_targets *t;
};

static int usdt_found(void *ctx, const struct bcct_usdt_probe *p)
{
	struct usdt_walk *w = ctx;
	const struct ps_spec *ps = w->ps;
	char both[512];
	bool ok;

	snprintf(both, sizeof(both), "%s:%s", p->provider, p->name);
	if (ps->regex)
		ok = regexec(&ps->re, ps->provider ? both : p->name, 0, NULL, 0) == 0;
	else
		ok = (!ps->provider || fnmatch(ps->provider, p->provider, 0) == 0) &&
		     fnmatch(ps->pattern, p->name, 0) == 0;
	if (!ok)
		return 0;
	/* One target per provider:name, however many call sites (libbpf attaches them all). */
	for (size_t i = 0; i < w->t->n; i++)
		if (!strcmp(w->t->v[i].func, p->provider) && !strcmp(w->t->v[i].event, p->name))
			return 0;
	return add_target(w->t, p->name, p->provider, p->name) ? 0 : -ENOMEM;
}

/* Distinct provider:name probes of ps->path matching; named by probe name as BCC, or
 * "provider:name" where two providers share the name. */
static int expand_usdt(const struct ps_spec *ps, struct ps_targets *t)
{
	struct usdt_walk w = { ps, t };
	int err = bcct_usdt_foreach_file(ps->path, NULL, usdt_found, &w);

	if (err) {
		bcct_err("cannot read USDT notes of %s: %s", ps_file_name(ps),
			 err == -ENOEXEC ? "not an ELF file" : strerror(-err));
		return -1;
	}
	for (size_t i = 0; i < t->n; i++) {
		bool shared = false;

		for (size_t j = 0; j < t->n && !shared; j++)
			shared = j != i && !strcmp(t->v[i].event, t->v[j].event);
		if (shared) {
			char name[512];
			char *dup;

			snprintf(name, sizeof(name), "%s:%s", t->v[i].func, t->v[i].event);
			dup = strdup(name);
			if (dup) {
				free(t->v[i].name);
				t->v[i].name = dup;
			}
		}
	}
	return 0;
}

int ps_expand(const struct ps_spec *ps, size_t max, struct ps_targets *t)
{
	int err = 0;

	t->path = ps->path;
	switch (ps->kind) {
	case PS_KFUNC: err = expand_kfunc(ps, t); break;
	case PS_UFUNC: err = expand_ufunc(ps, t); break;
	case PS_TRACEPOINT: err = expand_tracepoint(ps, t); break;
	case PS_USDT: err = expand_usdt(ps, t); break;
	}
	if (err)
		return -1;
	if (max && t->n > max) {
		bcct_err("maximum of %zu probes allowed, attempted %zu (\"%s\")", max, t->n, ps->text);
		return -1;
	}
	return (int)t->n;
}

void ps_targets_print(FILE *out, const struct ps_spec *ps, const struct ps_targets *t)
{
	static const char *const kinds[] = { [PS_KFUNC] = "kprobe", [PS_UFUNC] = "uprobe",
					     [PS_TRACEPOINT] = "tracepoint", [PS_USDT] = "usdt" };

	for (size_t i = 0; i < t->n; i++) {
		const struct ps_target *x = &t->v[i];

		fprintf(out, "%-5zu %-10s %-36s", i, kinds[ps->kind], x->name);
		if (ps->kind == PS_UFUNC)
			fprintf(out, " %s+0x%llx (0x%llx)", ps_file_name(ps), (unsigned long long)x->offset,
				(unsigned long long)x->addr);
		else if (ps->kind == PS_USDT)
			fprintf(out, " %s %s:%s", ps_file_name(ps), x->func, x->event);
		fputc('\n', out);
	}
}

int ps_open(const char *pattern, unsigned flags, pid_t pid, const char *nomatch,
			bool debug, struct ps_spec *spec, struct ps_targets *targets)
{
	char msg[4096];
	int err;

	err = ps_parse(pattern, flags, pid, spec);
	if (!err)
		err = ps_supported(spec);
	if (err)
		return err;
	err = ps_expand(spec, PS_MAX_TARGETS, targets);
	if (err < 0)
		return BCCT_EXIT_FAIL;
	if (err == 0) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(msg, sizeof(msg), nomatch, pattern);
#pragma GCC diagnostic pop
		bcct_err("%s", msg);
		return BCCT_EXIT_FAIL;
	}
	if (debug)
		ps_targets_print(stderr, spec, targets);
	return 0;
}

void ps_close(struct ps_spec *spec, struct ps_targets *targets)
{
	ps_targets_free(targets);
	ps_free(spec);
	memset(targets, 0, sizeof(*targets));
	memset(spec, 0, sizeof(*spec));
}

const char *ps_banner(char *buf, size_t len, const char *pattern,
				  const struct ps_targets *t)
{
	snprintf(buf, len, "Tracing %zu functions for \"%s\"... Hit Ctrl-C to end.", t->n, pattern);
	return buf;
}

void ps_detaching(void *ctx)
{
	out_text("Detaching...\n");
}

/* ---- attaching -------------------------------------------------------------------------- */

static void set_autoload(struct bpf_program *p, bool on)
{
	if (p)
		bpf_program__set_autoload(p, on);
}

/* fentry/fexit for ps: one kernel function that the kernel's BTF describes with at most 6
 * arguments (x86-64 trampolines before 6.x take no more), where the kernel has the kind. */
static bool fentry_fits(const struct ps_spec *ps, const struct ps_targets *t,
			struct ps_progs *p)
{
	int n;

	if (!p->fentry || !(ps->flags & PS_F_FENTRY) || t->n != 1 || ps->retprobe ||
	    !bcct_has(p->ret ? FEAT_FEXIT : FEAT_FENTRY))
		return false;
	n = bcct_btf_func_args(t->v[0].func);
	if (n < 0 || n > 6 || bpf_program__set_attach_target(p->fentry, 0, t->v[0].func))
		return false;
	p->fentry_args = n;
	return true;
}

int ps_prepare(const struct ps_spec *ps, const struct ps_targets *t,
		    struct ps_progs *p)
{
	struct bpf_program *need = NULL;
	const char *method = "";

	set_autoload(p->probe, false);
	set_autoload(p->multi, false);
	set_autoload(p->tp, false);
	set_autoload(p->usdt, false);
	set_autoload(p->fentry, false);
	p->use_multi = p->use_fentry = false;
	switch (ps->kind) {
	case PS_KFUNC:
		need = p->probe;
		method = ps->retprobe || p->ret ? "kretprobe" : "kprobe";
		if (fentry_fits(ps, t, p)) {
			need = p->fentry;
			method = p->ret ? "fexit" : "fentry";
			p->use_fentry = true;
		} else if (!bcct_has(FEAT_KPROBE)) {
			bcct_err("kernel functions need kprobes, which this kernel lacks; fentry serves only "
				 "one function of the kernel's BTF with at most 6 arguments, not \"%s\" (%zu "
				 "match%s)", ps->text, t->n, t->n == 1 ? "" : "es");
			return BCCT_EXIT_FAIL;
		}
		break;
	case PS_UFUNC:
		need = p->probe;
		method = p->ret ? "uretprobe" : "uprobe";
		/* One uprobe_multi link for all targets where the kernel has it (6.6+), for one target
		 * too: perf-event uprobes are released one after another at exit (about 100 ms each),
		 * the link's all at once. The perf-event program stays loaded as the fallback should
		 * the multi-link be refused. */
		if (p->multi && bcct_has(FEAT_UPROBE_MULTI) &&
		    !bpf_program__set_expected_attach_type(p->multi, BPF_TRACE_UPROBE_MULTI)) {
			set_autoload(p->multi, true);
			p->use_multi = true;
			method = "uprobe_multi";
		}
		break;
	case PS_TRACEPOINT:
		need = p->tp;
		method = "tracepoint";
		/* Declared in a target-less "uprobe" section so core leaves it to us (see probespec.h). */
		if (need && bpf_program__set_type(need, BPF_PROG_TYPE_TRACEPOINT))
			need = NULL;
		break;
	case PS_USDT:
		need = p->usdt;
		method = "usdt";
		break;
	}
	if (!need) {
		bcct_err("internal error: no BPF program for %s", kind_noun(ps->kind));
		return BCCT_EXIT_FAIL;
	}
	set_autoload(need, true);
	/* Without cookies (kernels before 5.15) every attachment runs the same program with nothing
	 * to tell the targets apart. BCC generated one program per target; a skeleton has a fixed
	 * set, so several targets are refused instead, unless the program tells kernel functions
	 * apart by the instruction pointer (ps_keys_by_ip). USDT is spared: libbpf finds its
	 * cookie from the instruction pointer there. */
	if (!bcct_has(FEAT_COOKIE) && t->n > 1 && ps->kind != PS_USDT && !p->shared &&
	    !ps_keys_by_ip(ps, t, p)) {
		bcct_err("\"%s\" matches %zu targets, and this kernel has no BPF attach cookies (5.15+) "
			 "to tell them apart: narrow it to one", ps->text, t->n);
		return BCCT_EXIT_FAIL;
	}
	/* "probe NAME: METHOD" is what -v shows and tests/live/lib.sh collects. */
	bcct_info("probe %s: %s (%zu target%s of \"%s\"%s)", p->label ? p->label : "targets", method, t->n,
		  t->n == 1 ? "" : "s", ps->text,
		  ps_keys_by_ip(ps, t, p) ? ", told apart by instruction pointer: no attach cookies" : "");
	return 0;
}

bool ps_keys_by_ip(const struct ps_spec *ps, const struct ps_targets *t,
		   const struct ps_progs *p)
{
	return p->kfunc_by_ip && ps->kind == PS_KFUNC && t->n > 1 && !p->use_fentry &&
	       !bcct_has(FEAT_COOKIE);
}

long ps_kfunc_target_at(const struct ps_targets *t, uint64_t ip)
{
	struct bcct_sym s;

	if (!sym_kernel(ip, &s) || !s.name)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].func, s.name))
			return (long)i;
	/* Another name at the same address (an alias kallsyms lists first). */
	for (size_t i = 0; i < t->n; i++)
		if (sym_kernel_addr(t->v[i].func) == ip - s.offset)
			return (long)i;
	return -1;
}

/* Two descriptors per perf-event link (the event and the link): make room for many targets. */
static void raise_nofile(size_t want)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) || r.rlim_cur >= want)
		return;
	r.rlim_cur = r.rlim_max == RLIM_INFINITY || r.rlim_max > want ? want : r.rlim_max;
	setrlimit(RLIMIT_NOFILE, &r);
}

static struct bpf_link *attach_one(const struct ps_spec *ps, const struct ps_targets *t,
				   const struct ps_target *x, const struct ps_progs *p,
				   bool retprobe, uint64_t cookie)
{
	pid_t pid = ps->pid > 0 ? ps->pid : -1;

	switch (ps->kind) {
	case PS_KFUNC: {
		LIBBPF_OPTS(bpf_kprobe_opts, o, .bpf_cookie = cookie, .retprobe = retprobe);
		return bpf_program__attach_kprobe_opts(p->probe, x->func, &o);
	}
	case PS_UFUNC: {
		LIBBPF_OPTS(bpf_uprobe_opts, o, .bpf_cookie = cookie, .retprobe = retprobe);
		return bpf_program__attach_uprobe_opts(p->probe, pid, t->path, x->offset, &o);
	}
	case PS_TRACEPOINT: {
		LIBBPF_OPTS(bpf_tracepoint_opts, o, .bpf_cookie = cookie);
		return bpf_program__attach_tracepoint_opts(p->tp, x->func, x->event, &o);
	}
	case PS_USDT: {
		LIBBPF_OPTS(bpf_usdt_opts, o, .usdt_cookie = cookie);
		return bpf_program__attach_usdt(p->usdt, pid, t->path, x->func, x->event, &o);
	}
	}
	errno = EINVAL;
	return NULL;
}

/* All user-function targets with one uprobe_multi link. 0, or a negative errno. */
static int attach_multi(const struct ps_spec *ps, struct ps_targets *t,
			const struct ps_progs *p, bool retprobe, uint64_t cookie_base)
{
	unsigned long *offsets = calloc(t->n, sizeof(*offsets));
	__u64 *cookies = calloc(t->n, sizeof(*cookies));
	struct bpf_link *l = NULL;
	int err;

	if (offsets && cookies) {
		LIBBPF_OPTS(bpf_uprobe_multi_opts, o, .offsets = offsets, .cookies = cookies,
			    .cnt = t->n, .retprobe = retprobe);

		for (size_t i = 0; i < t->n; i++) {
			offsets[i] = t->v[i].offset;
			cookies[i] = cookie_base + i;
		}
		l = bpf_program__attach_uprobe_multi(p->multi, ps->pid > 0 ? ps->pid : -1, t->path, NULL, &o);
	} else {
		errno = ENOMEM;
	}
	err = bcct_track_link(l);
	free(offsets);
	free(cookies);
	if (!err)
		for (size_t i = 0; i < t->n; i++)
			t->v[i].attached = true;
	return err;
}

int ps_attach(const struct ps_spec *ps, struct ps_targets *t,
		   const struct ps_progs *p, bool retprobe, uint64_t cookie_base)
{
	uint64_t start = bcct_now_ns();
	size_t attached = 0, failed = 0;
	int first_err = 0;

	if (retprobe && (ps->kind == PS_TRACEPOINT || ps->kind == PS_USDT)) {
		bcct_err("internal error: no return probes for %s", kind_noun(ps->kind));
		return -EINVAL;
	}
	if (p->use_fentry) {
		/* One target, so no cookie: the program's index is 0. */
		int err = bcct_track_link(bpf_program__attach_trace(p->fentry));

		if (err)
			return err;
		t->v[0].attached = true;
		bcct_info("attached 1 %s in %.1f ms", p->ret ? "fexit" : "fentry",
			  (bcct_now_ns() - start) / 1e6);
		return 1;
	}
	if (p->use_multi) {
		int err = attach_multi(ps, t, p, retprobe, cookie_base);

		if (!err) {
			bcct_info("attached %zu %s with one uprobe_multi link in %.1f ms", t->n,
				  retprobe ? "uretprobes" : "uprobes", (bcct_now_ns() - start) / 1e6);
			return (int)t->n;
		}
		bcct_info("uprobe_multi link refused (%s): one uprobe per target", strerror(-err));
	}
	raise_nofile(2 * t->n + 256);
	for (size_t i = 0; i < t->n; i++) {
		struct ps_target *x = &t->v[i];
		/* Without cookies (kernels before 5.15: only shared programs get here with several
		 * targets) libbpf refuses any but 0; USDT cookies live in libbpf's own maps. */
		uint64_t cookie = bcct_has(FEAT_COOKIE) || ps->kind == PS_USDT ? cookie_base + i : 0;
		int err = bcct_track_link(attach_one(ps, t, x, p, retprobe, cookie));

		x->attached = !err;
		if (!err) {
			attached++;
			continue;
		}
		if (!first_err)
			first_err = err;
		/* One bad target among many (a notrace function, an odd symbol) is not fatal. */
		if (++failed <= 5 && t->n > 1)
			bcct_warn("cannot attach %s: %s", x->name, strerror(-err));
	}
	if (failed > 5)
		bcct_warn("%zu more targets could not be attached", failed - 5);
	if (!attached)
		return first_err ? first_err : -ENOENT;
	bcct_info("attached %zu of %zu %s in %.1f ms", attached, t->n,
		  retprobe ? "return probes" : "probes", (bcct_now_ns() - start) / 1e6);
	return (int)attached;
}

int ps_prepare_pair(const struct ps_spec *ps, const struct ps_targets *t,
			 struct ps_progs *entry, struct ps_progs *ret)
{
	int err = ps_prepare(ps, t, entry);

	return err ? err : ps_prepare(ps, t, ret);
}

int ps_attach_pair(const struct ps_spec *ps, struct ps_targets *t,
			const struct ps_progs *entry, const struct ps_progs *ret,
			uint64_t cookie_base)
{
	int n = ps_attach(ps, t, entry, false, cookie_base);

	return n < 0 ? n : ps_attach(ps, t, ret, true, cookie_base);
}

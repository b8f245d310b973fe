/* Demangling through libiberty's demanglers (Debian: libiberty-dev, static libiberty.a), the
 * code behind c++filt, gdb and perf: cp-demangle.c for C++ and rust-demangle.c for both Rust
 * schemes. Only their callback entry points are used (no result strings to allocate; the Rust one
 * mallocs only a scratch buffer for punycode identifiers), so the link pulls in
 * cp-demangle.o, rust-demangle.o and safe-ctype.o and nothing that could exit() on a failed
 * malloc (xmalloc). The C++ demangler keeps its recursion and size limit (names up to ~1000
 * characters, c++filt's default): longer ones come back mangled rather than risk the stack.
 *
 * Rust first: a legacy Rust name is also a valid C++ name ("_ZN7fixture4main17h<hash>E" would
 * read "fixture::main::h<hash>" as C++); libiberty's Rust demangler accepts only names ending in
 * a hash segment and prints them without it (no DMGL_VERBOSE), as rustfilt does. */
#include "symbolize/demangle.h"
#include <libiberty/demangle.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

struct sink {
	char *buf;
	size_t len;  /* capacity, including the terminator */
	size_t used; /* characters written, without the terminator */
	bool cut;
	unsigned after_cut;  /* calls since the buffer filled up */
	jmp_buf full;
};

/* Calls a demangler may make after the buffer is full before the sink stops it. */
#define SINK_MAX_AFTER_CUT 4096

/* Some crafted names make libiberty print forever: a Rust v0 binder "G<count>_" prints all
 * <count> lifetimes, up to 2^64 of them (c++filt hangs on it too; found by tests/fuzz). So once
 * the buffer is full and libiberty still calls SINK_MAX_AFTER_CUT more times, the sink jumps
 * back to sym_demangle(). Not at the first call past the end: the Rust demangler holds a
 * malloc'd buffer while it prints a punycode identifier (a few calls), and leaving then would
 * leak it; a runaway loop is never inside that. */
static void sink_put(const char *s, size_t n, void *opaque)
{
	struct sink *k = opaque;
	if (k->cut) {
		if (++k->after_cut > SINK_MAX_AFTER_CUT)
			longjmp(k->full, 1);
		return;
	}
	if (n == 0) /* libiberty may pass (NULL, 0) */
		return;
	size_t room = k->len - 1 - k->used;
	if (n > room) {
		n = room;
		k->cut = true;
	}
	memcpy(k->buf + k->used, s, n);
	k->used += n;
}

static const char *sink_finish(struct sink *k)
{
	if (k->cut && k->len >= 4) {
		size_t at = k->len - 4 < k->used ? k->len - 4 : k->used;
		memcpy(k->buf + at, "...", 3);
		k->used = at + 3;
	}
	k->buf[k->used] = '\0';
	return k->buf;
}

/* --- Rust v0: libiberty's work, counted before it is done ---------------------------------
 *
 * libiberty parses some parts of a v0 name without printing them: the path of an impl ("M",
 * "X") and the instantiating crate at the end. A binder "G<count>_" there still runs its loop of
 * <count> lifetimes, with nothing reaching the sink, so the sink cannot stop it: "G" and five
 * base-62 digits are a billion turns (tests/fuzz found it; rustfilt rejects such names). So v0
 * names first go through a dry run of libiberty's own grammar (rust-demangle.c: the same
 * productions, the same recursion limit, backrefs followed where it follows them) that prints
 * nothing and counts what libiberty would do: characters read, productions entered, lifetimes
 * of binders. A name whose count passes V0_MAX_WORK is not handed to libiberty and stays
 * mangled; a real name costs a few times its length (an expansion of a million steps would not
 * fit any buffer anyway). */

#define V0_MAX_WORK (1u << 20)
#define V0_MAX_RECURSION 1024 /* libiberty's RUST_MAX_RECURSION_COUNT */

struct v0_dry_run {
	const char *sym;
	size_t len, next;
	bool errored, skipping;
	unsigned recursion;
	uint64_t work;
};

static bool v0_over_budget(struct v0_dry_run *r)
{
	if (r->work > V0_MAX_WORK)
		r->errored = true;   /* stops every production, as libiberty's errored flag does */
	return r->errored;
}

static char v0_peek(const struct v0_dry_run *r)
{
	return r->next < r->len ? r->sym[r->next] : 0;
}

static bool v0_eat(struct v0_dry_run *r, char c)
{
	if (v0_peek(r) != c)
		return false;
	r->next++;
	r->work++;
	return true;
}

static char v0_next(struct v0_dry_run *r)
{
	char c = v0_peek(r);
	if (!c)
		r->errored = true;
	else
		r->next++;
	r->work++;
	return c;
}

static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static uint64_t v0_integer_62(struct v0_dry_run *r)
{
	uint64_t x = 0;
	if (v0_eat(r, '_'))
		return 0;
	while (!v0_eat(r, '_') && !r->errored) {
		char c = v0_next(r);
		x *= 62;
		if (is_digit(c))
			x += c - '0';
		else if (is_lower(c))
			x += 10 + (c - 'a');
		else if (is_upper(c))
			x += 36 + (c - 'A');
		else {
			r->errored = true;
			return 0;
		}
	}
	return x + 1;
}

static uint64_t v0_opt_integer_62(struct v0_dry_run *r, char tag)
{
	return v0_eat(r, tag) ? 1 + v0_integer_62(r) : 0;
}

static size_t v0_hex_nibbles(struct v0_dry_run *r)
{
	size_t n = 0;
	while (!r->errored && !v0_eat(r, '_')) {
		char c = v0_next(r);
		if (!is_digit(c) && !(c >= 'a' && c <= 'f'))
			r->errored = true;
		n++;
	}
	return r->errored ? 0 : n;
}

static void v0_ident(struct v0_dry_run *r)
{
	bool punycode = v0_eat(r, 'u');
	char c = v0_next(r);
	size_t len;

	if (!is_digit(c)) {
		r->errored = true;
		return;
	}
	len = c - '0';
	if (c != '0')
		while (is_digit(v0_peek(r)))
			len = len * 10 + (v0_next(r) - '0');   /* wraps as libiberty's does */
	v0_eat(r, '_');
	if (r->next + len < r->next || r->next + len > r->len) {
		r->errored = true;
		return;
	}
	if (punycode) { /* libiberty wants a non-empty part after the last '_' */
		const char *s = r->sym + r->next;
		if (len == 0 || s[len - 1] == '_')
			r->errored = true;
	}
	r->next += len;
	r->work += len;   /* printing it (or decoding its punycode) reads every byte */
}

static void v0_path(struct v0_dry_run *r);
static void v0_type(struct v0_dry_run *r);
static void v0_const(struct v0_dry_run *r);

static bool v0_enter(struct v0_dry_run *r)
{
	r->work++;
	if (v0_over_budget(r) || ++r->recursion > V0_MAX_RECURSION) {
		r->errored = true;
		return false;
	}
	return true;
}

/* libiberty follows a backref by parsing again at an earlier (or any) position, unless it is
 * skipping: the work of that parse counts again each time. */
static void v0_backref(struct v0_dry_run *r, void (*parse)(struct v0_dry_run *))
{
	uint64_t at = v0_integer_62(r);
	if (r->skipping || r->errored)
		return;
	size_t old = r->next;
	r->next = at < r->len ? (size_t)at : r->len;
	parse(r);
	r->next = old;
}

static void v0_binder(struct v0_dry_run *r)
{
	/* The loop this skips over: one turn per bound lifetime. */
	r->work += v0_opt_integer_62(r, 'G');
	v0_over_budget(r);
}

static void v0_generic_arg(struct v0_dry_run *r)
{
	if (v0_eat(r, 'L'))
		v0_integer_62(r);
	else if (v0_eat(r, 'K'))
		v0_const(r);
	else
		v0_type(r);
}

static void v0_path(struct v0_dry_run *r)
{
	bool was_skipping;
	char tag;

	if (r->errored || !v0_enter(r))
		return;
	switch (tag = v0_next(r)) {
	case 'C':
		v0_opt_integer_62(r, 's');
		v0_ident(r);
		break;
	case 'N':
		tag = v0_next(r);
		if (!is_lower(tag) && !is_upper(tag)) {
			r->errored = true;
			break;
		}
		v0_path(r);
		v0_opt_integer_62(r, 's');
		v0_ident(r);
		break;
	case 'M':
	case 'X':
		v0_opt_integer_62(r, 's');
		was_skipping = r->skipping;
		r->skipping = true;
		v0_path(r);
		r->skipping = was_skipping;
		/* fallthrough */
	case 'Y':
		v0_type(r);
		if (tag != 'M')
			v0_path(r);
		break;
	case 'I':
		v0_path(r);
		while (!r->errored && !v0_eat(r, 'E'))
			v0_generic_arg(r);
		break;
	case 'B':
		v0_backref(r, v0_path);
		break;
	default:
		r->errored = true;
	}
	r->recursion--;
}

static const char V0_BASIC_TYPES[] = "bceualsxnihtmyojfdzpv";

static void v0_path_maybe_open_generics(struct v0_dry_run *r)
{
	if (r->errored || !v0_enter(r))
		return;
	if (v0_eat(r, 'B')) {
		v0_backref(r, v0_path_maybe_open_generics);
	} else if (v0_eat(r, 'I')) {
		v0_path(r);
		while (!r->errored && !v0_eat(r, 'E'))
			v0_generic_arg(r);
	} else {
		v0_path(r);
	}
	r->recursion--;
}

static void v0_dyn_trait(struct v0_dry_run *r)
{
	v0_path_maybe_open_generics(r);
	while (!r->errored && v0_eat(r, 'p')) {
		v0_ident(r);
		v0_type(r);
	}
}

static void v0_type(struct v0_dry_run *r)
{
	char tag;

	if (r->errored)
		return;
	tag = v0_next(r);
	if (tag && strchr(V0_BASIC_TYPES, tag))
		return;
	if (!v0_enter(r))
		return;
	switch (tag) {
	case 'R':
	case 'Q':
		if (v0_eat(r, 'L'))
			v0_integer_62(r);
		v0_type(r);
		break;
	case 'P':
	case 'O':
	case 'S':
		v0_type(r);
		break;
	case 'A':
		v0_type(r);
		v0_const(r);
		break;
	case 'T':
		while (!r->errored && !v0_eat(r, 'E'))
			v0_type(r);
		break;
	case 'F':
		v0_binder(r);
		v0_eat(r, 'U');
		if (v0_eat(r, 'K') && !v0_eat(r, 'C'))
			v0_ident(r);
		while (!r->errored && !v0_eat(r, 'E'))
			v0_type(r);
		if (!v0_eat(r, 'u'))
			v0_type(r);
		break;
	case 'D':
		v0_binder(r);
		while (!r->errored && !v0_eat(r, 'E'))
			v0_dyn_trait(r);
		if (!v0_eat(r, 'L'))
			r->errored = true;
		else
			v0_integer_62(r);
		break;
	case 'B':
		v0_backref(r, v0_type);
		break;
	default:
		r->next--;   /* a path: let v0_path see its tag */
		v0_path(r);
	}
	r->recursion--;
}

static void v0_const(struct v0_dry_run *r)
{
	char tag;

	if (r->errored || !v0_enter(r))
		return;
	if (v0_eat(r, 'B')) {
		v0_backref(r, v0_const);
	} else {
		tag = v0_next(r);
		if (tag == 'a' || tag == 's' || tag == 'l' || tag == 'x' || tag == 'n' || tag == 'i')
			v0_eat(r, 'n');
		if (tag && strchr("htmyojaslxnibc", tag))
			v0_hex_nibbles(r);
		else if (tag != 'p')
			r->errored = true;
	}
	r->recursion--;
}

/* False when libiberty would spend more than V0_MAX_WORK on the "_R" name sym. A name it
 * rejects (bad characters, a grammar error) is cheap for it too, and passes. */
static bool v0_work_bounded(const char *sym)
{
	struct v0_dry_run r = {.sym = sym + 2};

	while (r.sym[r.len] && r.sym[r.len] != '.') {
		char c = r.sym[r.len++];
		if (c != '_' && !is_digit(c) && !is_lower(c) && !is_upper(c))
			return true;   /* libiberty stops before parsing */
	}
	if (!is_upper(r.sym[0]))
		return true;
	v0_path(&r);
	if (!r.errored && r.next < r.len) {
		r.skipping = true;   /* the instantiating crate */
		v0_path(&r);
	}
	return r.work <= V0_MAX_WORK;
}

/* One demangler run into k; true when it produced a name (complete, or cut at the buffer's end). */
typedef int (*demangler_fn)(const char *, int, demangle_callbackref, void *);
static bool run(demangler_fn fn, const char *mangled, struct sink *k)
{
	if (setjmp(k->full))
		return true;   /* a runaway after the buffer filled up: the name is there, cut */
	return fn(mangled, DMGL_PARAMS | DMGL_ANSI, sink_put, k) && k->used;
}

const char *sym_demangle(const char *mangled, char *buf, size_t len)
{
	/* Not an automatic variable: it is written between setjmp() and longjmp(). */
	static _Thread_local struct sink k;

	if (!sym_is_mangled(mangled) || !buf || len == 0)
		return mangled;
	if (mangled[1] == 'R' && !v0_work_bounded(mangled))
		return mangled;
	if (mangled[1] == 'R' || mangled[2] == 'N') { /* v0, or possibly legacy Rust */
		k = (struct sink){.buf = buf, .len = len};
		if (run(rust_demangle_callback, mangled, &k))
			return sink_finish(&k);
		if (mangled[1] == 'R')
			return mangled;
	}
	k = (struct sink){.buf = buf, .len = len};
	if (run(cplus_demangle_v3_callback, mangled, &k))
		return sink_finish(&k);
	return mangled;
}

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

/* Demangling through libiberty's demanglers (Debian: libiberty-dev, static libiberty.a), the
 * code behind c++filt, gdb and perf: cp-demangle.c for C++ and rust-demangle.c for both Rust
 * schemes. Only their allocation-free callback entry points are used, so the link pulls in
 * cp-demangle.o, rust-demangle.o and safe-ctype.o and nothing that could exit() on a failed
 * malloc (xmalloc). The C++ demangler keeps its recursion and size limit (names up to ~1000
 * characters, c++filt's default): longer ones come back mangled rather than risk the stack.
 *
 * Rust first: a legacy Rust name is also a valid C++ name ("_ZN7fixture4main17h<hash>E" would
 * read "fixture::main::h<hash>" as C++); libiberty's Rust demangler accepts only names ending in
 * a hash segment and prints them without it (no DMGL_VERBOSE), as rustfilt does. */
#include "symbolize/demangle.h"
#include <libiberty/demangle.h>
#include <string.h>

struct sink {
	char *buf;
	size_t len;  /* capacity, including the terminator */
	size_t used; /* characters written, without the terminator */
	bool cut;
};

static void sink_put(const char *s, size_t n, void *opaque)
{
	struct sink *k = opaque;
	if (k->cut || n == 0) /* libiberty may pass (NULL, 0) */
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

const char *sym_demangle(const char *mangled, char *buf, size_t len)
{
	if (!sym_is_mangled(mangled) || !buf || len == 0)
		return mangled;
	struct sink k = {.buf = buf, .len = len};
	if (mangled[1] == 'R' || mangled[2] == 'N') { /* v0, or possibly legacy Rust */
		if (rust_demangle_callback(mangled, DMGL_PARAMS | DMGL_ANSI, sink_put, &k) && k.used)
			return sink_finish(&k);
		k = (struct sink){.buf = buf, .len = len};
		if (mangled[1] == 'R')
			return mangled;
	}
	if (cplus_demangle_v3_callback(mangled, DMGL_PARAMS | DMGL_ANSI, sink_put, &k) && k.used)
		return sink_finish(&k);
	return mangled;
}

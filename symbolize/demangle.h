/* Mangled symbol names to what users read: C++ (Itanium ABI, as c++filt prints them) and Rust
 * (legacy "_ZN...17h<hash>E" without the hash, and v0 "_R...", as rustfilt prints them). */
#ifndef BCCT_SYMBOLIZE_DEMANGLE_H
#define BCCT_SYMBOLIZE_DEMANGLE_H
#include <stdbool.h>
#include <stddef.h>

/* Returns buf holding the demangled form of mangled, or mangled itself (the same pointer) when
 * it is not a mangled name, does not demangle, or len is 0. A demangled name longer than buf is
 * cut and ends in "...". Malformed input never crashes: it comes back unchanged. Allocates
 * nothing; safe to call from several threads with distinct buffers. 1024 bytes fit almost
 * every name; C++ template instantiations can reach several kilobytes. */
const char *sym_demangle(const char *mangled, char *buf, size_t len);

/* True when name looks mangled (a C++ "_Z" or Rust "_R" prefix): a cheap test before calling. */
static inline bool sym_is_mangled(const char *name)
{
	return name && name[0] == '_' && (name[1] == 'Z' || name[1] == 'R');
}
#endif

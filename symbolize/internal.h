/* Pieces shared by the symbolize sources; not part of the public API. */
#ifndef BCCT_SYMBOLIZE_INTERNAL_H
#define BCCT_SYMBOLIZE_INTERNAL_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>
#include "symbolize/symbolize.h"

/* Among symbols at the same address, prefer the one a human would call the function:
 * fewer leading underscores wins ("printf" over "_IO_printf", "schedule" over "__schedule"
 * aliases). Returns <0 if a is preferred, >0 if b is, 0 if equal. */
static inline int sym_name_preference(const char *a, const char *b)
{
	size_t ua = 0, ub = 0;
	while (a[ua] == '_')
		ua++;
	while (b[ub] == '_')
		ub++;
	return (ua > ub) - (ua < ub);
}

/* --- Kernel symbols (kallsyms.c) --- */
struct ksym;
/* Text symbols of a /proc/kallsyms text, sorted by address; names in `arena`. */
struct ksym_table {
	struct ksym *syms;
	size_t count;
	char *arena;
};
/* Parses /proc/kallsyms text: buf holds len bytes and room for a terminator after them
 * (buf[len] is overwritten with NUL, as sys_read_file leaves it). Takes ownership of buf, which
 * becomes the name arena (freed here when no symbol is found). Returns false, with an empty
 * table, when there is no text symbol with an address (kptr_restrict) or memory ran out. */
bool kallsyms_parse_buffer(char *buf, size_t len, struct ksym_table *out);
/* sym_kernel and sym_kernel_addr on a table of one's own. */
bool kallsyms_lookup(const struct ksym_table *t, uint64_t addr, struct bcct_sym *out);
uint64_t kallsyms_addr(const struct ksym_table *t, const char *name);
void kallsyms_free(struct ksym_table *t);

/* --- Files a traced process names (untrusted.c) --- */
struct stat;
/* sys_open_untrusted, with a -v note naming a file refused for what it is rather than for being
 * absent. */
int sym_open_untrusted(const char *root, const char *path, uint64_t max_size, struct stat *st);
/* Is the process's root directory (/proc/PID/root) gone or unreadable? Only then may a file be
 * looked for under our root instead of its: a root that has no such file is its answer. */
bool sym_root_unreachable(const char *root);

/* --- ELF files (elf.c) --- */
struct sym_elf;
/* Opens `path` resolved inside `open_root` ("/proc/PID/root"; "" for a path taken as is, e.g.
 * /proc/PID/map_files/...) as the file the process maps at `logical_path` (its path inside the
 * process's mount namespace, used to find debug files by directory); debug files are looked for
 * inside `root` ("/proc/PID/root", or "" for ours) only. want_dev/want_ino, when nonzero, are
 * the mapping's device (major << 32 | minor) and inode: another file is refused. */
struct sym_elf *sym_elf_open_at(const char *open_root, const char *path, const char *logical_path,
				const char *root, uint64_t want_dev, uint64_t want_ino);
/* An ELF image in memory (the vDSO); no debug files are searched. name becomes its path. */
struct sym_elf *sym_elf_open_memory(const void *image, size_t len, const char *name);

/* --- Build ids (debuginfo.c) --- */
#define SYM_BUILD_ID_MAX 64
/* The GNU build-id note, from a note section or, in files without section headers, a PT_NOTE
 * segment, as lowercase hex into hex ("" if none). Returns its length in bytes, 0 if none. */
struct Elf;
size_t sym_build_id_hex(struct Elf *elf, char hex[2 * SYM_BUILD_ID_MAX + 1]);

/* --- Separate debug files and MiniDebugInfo (debuginfo.c) --- */
struct Elf;
struct sym_debug_file {
	struct Elf *elf;
	int fd;
	char *path;
	unsigned source; /* SYM_SRC_DEBUGLINK or SYM_SRC_BUILD_ID */
};
/* Finds the debug file of `elf` (open on fd) by .gnu_debuglink (CRC-checked) then build-id,
 * inside root ("/proc/PID/root", or "" for ours). */
bool sym_debug_file_find(struct Elf *elf, int fd, const char *logical_path, const char *root,
			 struct sym_debug_file *out);
void sym_debug_file_close(struct sym_debug_file *d);
/* The decompressed .gnu_debugdata ELF image (malloc'd), or NULL when absent or corrupt. */
char *sym_minidebuginfo(struct Elf *elf, size_t *len_out);

/* --- Perf maps of JIT-compiled code (perfmap.c) --- */
struct sym_perf_map;
/* The map /tmp/perf-NSPID.map of process pid (nspid: its pid in its own pid namespace), read
 * through the process's root first, then the host's /tmp/perf-PID.map. Loaded lazily. */
struct sym_perf_map *sym_perf_map_new(pid_t pid, pid_t nspid);
/* Looks addr up; on a miss, reloads the file if it changed since it was read. Names stay valid
 * until sym_perf_map_free (reloads keep the old tables). */
bool sym_perf_map_lookup(struct sym_perf_map *m, uint64_t addr, struct bcct_sym *out);
void sym_perf_map_free(struct sym_perf_map *m);
/* A map of text in memory (copied), for tests and fuzzing: no file behind it, never reloaded.
 * Every line counts, the last one also without its newline; parsing stops at a NUL byte, as for
 * a file. sym_perf_map_add_buffer appends more text, as a JIT appends to its file: later lines
 * win for an address. NULL / false when memory runs out. Their module is "perf-buffer.map". */
struct sym_perf_map *sym_perf_map_from_buffer(const char *text, size_t len);
bool sym_perf_map_add_buffer(struct sym_perf_map *m, const char *text, size_t len);

/* --- vDSO (vdso.c) --- */
/* The symbols of the [vdso] mapped at [start, end) in pid: read from /proc/PID/mem, or our own
 * vDSO when that fails and the sizes agree (one kernel: one vDSO per ABI). Parsed images are
 * shared and live for the run. NULL if unreadable. */
struct sym_elf *sym_vdso_elf(pid_t pid, uint64_t start, uint64_t end);

#endif

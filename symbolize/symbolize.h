/* Addresses to names. Kernel addresses through /proc/kallsyms (loaded lazily, once); user
 * addresses through the ELF symbol tables of the files mapped in the process (PIE and non-PIE,
 * shared libraries), read via /proc/PID/maps. Issue 3 deepens this (debuglink, build-id,
 * MiniDebugInfo, perf maps, demangling, DWARF lines and unwinding). */
#ifndef BCCT_SYMBOLIZE_H
#define BCCT_SYMBOLIZE_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>

/* Strings point into symbolizer tables and are never freed by the caller. Kernel ones and those
 * from sym_user live for the whole run (parsed files are cached for the process lifetime;
 * "[vdso]"/"[unknown]" are static); those from sym_elf_lookup live until sym_elf_close. */
struct bcct_sym {
	const char *name;       /* function name, NULL if unknown */
	uint64_t offset;        /* addr - symbol start */
	const char *module;     /* kernel: "[kernel]" or module name ("ext4", no brackets);
				   user: mapped file path, "[vdso]", or "[unknown]" (anonymous) */
	uint64_t module_offset; /* user: file offset of addr within module (for [unknown] frames);
				   kernel: addr itself */
};

/* Kernel: returns false if addr is not covered. */
bool sym_kernel(uint64_t addr, struct bcct_sym *out);
/* Kernel text symbol address by name (lowest if a static name repeats), 0 if absent. */
uint64_t sym_kernel_addr(const char *name);

/* User: per-process symbolizer, caches maps and ELF tables; keep one per pid. */
struct sym_proc;
struct sym_proc *sym_proc_open(pid_t pid);
/* Returns true with a name when addr is inside a function; false otherwise, with module and
 * module_offset still filled when addr is inside a mapping. Not thread-safe per sym_proc. */
bool sym_user(struct sym_proc *p, uint64_t addr, struct bcct_sym *out);
void sym_proc_close(struct sym_proc *p);

/* A cache of sym_proc by pid, for applets printing many stacks. */
struct sym_cache;
struct sym_cache *sym_cache_new(void);
struct sym_proc *sym_cache_get(struct sym_cache *c, pid_t pid);
void sym_cache_free(struct sym_cache *c);

/* Formats one frame the way BCC prints it: "name", "name+0x1a" (with offsets), or
 * "[unknown]". Returns buf. */
const char *sym_format(const struct bcct_sym *s, bool ok, bool with_offset, char *buf, size_t len);

/* ELF file symbolization without a process: for tests and tools (addr = file virtual address). */
struct sym_elf;
struct sym_elf *sym_elf_open(const char *path);
bool sym_elf_lookup(struct sym_elf *e, uint64_t vaddr, struct bcct_sym *out);
void sym_elf_close(struct sym_elf *e);
/* File offset to virtual address through the PT_LOAD segment holding it (also for uprobes). */
bool sym_elf_offset_to_vaddr(const struct sym_elf *e, uint64_t offset, uint64_t *vaddr);
#endif

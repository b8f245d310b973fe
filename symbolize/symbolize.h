/* Addresses to names. Kernel addresses through /proc/kallsyms (loaded lazily, once; module
 * symbols carry their module). User addresses through /proc/PID/maps (read through
 * /proc/PID/root for other mount namespaces, map_files for deleted and memfd files) and, per
 * mapped file, names merged from, best first:
 *   - the file's own .symtab;
 *   - else a separate debug file: by .gnu_debuglink (DIR/, DIR/.debug/, DEBUGROOT/DIR/, with
 *     the CRC32 checked), else by build-id (DEBUGROOT/.build-id/xx/rest.debug);
 *   - else MiniDebugInfo (.gnu_debugdata, xz: local functions, as Fedora ships them);
 *   - .dynsym, always.
 * DEBUGROOT is /usr/lib/debug, or $BCCT_DEBUG_ROOT, or sym_set_debug_root().
 * Anonymous executable memory (JIT code) through /tmp/perf-PID.map, as Java's perf-map-agent,
 * node --perf-basic-prof and python -X perf write it; [vdso] through the vDSO image itself. */
#ifndef BCCT_SYMBOLIZE_H
#define BCCT_SYMBOLIZE_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>

/* Strings point into symbolizer tables and are never freed by the caller. Kernel ones and those
 * from sym_user live for the whole run (parsed files and vDSO images are cached for the process
 * lifetime; "[vdso]"/"[unknown]" are static), except perf-map names and modules, which live
 * until sym_proc_close (sym_cache_free); those from sym_elf_lookup live until sym_elf_close. */
struct bcct_sym {
	const char *name;       /* function name, NULL if unknown */
	uint64_t offset;        /* addr - symbol start */
	const char *module;     /* kernel: "[kernel]" or module name ("ext4", no brackets);
				   user: mapped file path (" (deleted)" kept), "[vdso]", the perf
				   map ("/tmp/perf-PID.map") for JIT code it names, or "[unknown]"
				   (anonymous); NULL when addr is in no mapping */
	uint64_t module_offset; /* user: file offset of addr within module (for [unknown] frames),
				   offset in the mapping for [vdso] and anonymous memory, addr
				   itself for perf-map names; kernel: addr itself */
	const char *build_id;   /* user: the module's GNU build id in hex (sym_user fills it for
				   ELF files that have one), NULL otherwise; lives as module does */
};

/* Kernel: returns false if addr is not covered. */
bool sym_kernel(uint64_t addr, struct bcct_sym *out);
/* Kernel text symbol address by name (lowest if a static name repeats), 0 if absent. */
uint64_t sym_kernel_addr(const char *name);

/* User: per-process symbolizer, caches maps and ELF tables; keep one per pid. A process that is
 * gone (or never was) still gets one: it resolves nothing but perf-map names left in the host's
 * /tmp, so callers print "[unknown]". One opened while the process lived keeps what it read
 * after the process exits. NULL only when memory runs out. Perf-map names live until
 * sym_proc_close; all other names for the whole run. */
struct sym_proc;
struct sym_proc *sym_proc_open(pid_t pid);
/* Returns true with a name when addr is inside a function; false otherwise, with module and
 * module_offset still filled when addr is inside a mapping. Not thread-safe per sym_proc. */
bool sym_user(struct sym_proc *p, uint64_t addr, struct bcct_sym *out);
void sym_proc_close(struct sym_proc *p);

/* A cache of sym_proc by pid, for applets printing many stacks. Entries are never dropped while
 * the cache lives, so stacks of processes that exited before printing still resolve. */
struct sym_cache;
struct sym_cache *sym_cache_new(void);
struct sym_proc *sym_cache_get(struct sym_cache *c, pid_t pid);
void sym_cache_free(struct sym_cache *c);

/* Formats one frame the way BCC prints it: "name", "name+0x1a" (with offsets), or
 * "[unknown]". Returns buf. Same as sym_format_ex with SYM_FMT_OFFSET or 0. */
const char *sym_format(const struct bcct_sym *s, bool ok, bool with_offset, char *buf, size_t len);

/* sym_format_ex flags.
 * SYM_FMT_OFFSET: "name+0x1a" (BCC's show_offset: stackcount -s, offcputime -s, trace,
 *   memleak). Unresolved frames never get one: "[unknown]".
 * SYM_FMT_MODULE: " [module]" after the frame, as BCC's show_module (trace and memleak always;
 *   profile, offcputime and stackcount never): the base name of a user file
 *   ("printf+0x5 [libc.so.6]", "jit_fn [perf-42.map]"), "[kernel]" or the module name for
 *   kernel frames ("vfs_read+0x0 [kernel]", "ext4_file_read_iter [ext4]"), also after an
 *   unresolved frame of a known file ("[unknown] [libfoo.so]"); nothing for anonymous memory
 *   or an unknown module. The vDSO shows as "[vdso]" (BCC: "[[vdso]]").
 * SYM_FMT_LOCATION: unresolved frames of a known file as "[unknown] (/path/lib.so+0x1234)",
 *   full path and file offset (what addr2line -e and objdump take), "[unknown] ([vdso]+0x9a0)"
 *   in the vDSO. Not in BCC, which prints "[unknown]": for when the user asked for offsets or
 *   addresses (stackcount/offcputime -s, stackcount -v, trace -a). Takes the place of
 *   SYM_FMT_MODULE for unresolved frames. */
#define SYM_FMT_OFFSET 0x1u
#define SYM_FMT_MODULE 0x2u
#define SYM_FMT_LOCATION 0x4u
const char *sym_format_ex(const struct bcct_sym *s, bool ok, unsigned flags, char *buf, size_t len);

/* Directory of separate debug files (default /usr/lib/debug, or $BCCT_DEBUG_ROOT); set it
 * before the first lookup: parsed files are cached. NULL restores the default. */
void sym_set_debug_root(const char *dir);
const char *sym_debug_root(void);

/* ELF file symbolization without a process: for tests and tools (addr = file virtual address).
 * Uses the same sources as sym_user (debug files looked for from path's directory). */
struct sym_elf;
struct sym_elf *sym_elf_open(const char *path);
bool sym_elf_lookup(struct sym_elf *e, uint64_t vaddr, struct bcct_sym *out);
void sym_elf_close(struct sym_elf *e);
/* File offset to virtual address through the PT_LOAD segment holding it (also for uprobes). */
bool sym_elf_offset_to_vaddr(const struct sym_elf *e, uint64_t offset, uint64_t *vaddr);
/* Which sources gave the symbols of e (SYM_SRC_*), and the separate debug file used (NULL if
 * none; also where DWARF of a stripped file lives). */
#define SYM_SRC_SYMTAB 0x1u
#define SYM_SRC_DEBUGLINK 0x2u
#define SYM_SRC_BUILD_ID 0x4u
#define SYM_SRC_MINIDEBUGINFO 0x8u
#define SYM_SRC_DYNSYM 0x10u
unsigned sym_elf_sources(const struct sym_elf *e);
const char *sym_elf_debug_file(const struct sym_elf *e);
/* The file's GNU build id in lowercase hex, NULL when it has none. */
const char *sym_elf_build_id(const struct sym_elf *e);
#endif

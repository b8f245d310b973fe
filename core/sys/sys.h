/* System facts, read once here for every part of bcct: whole files of procfs and sysfs,
 * /proc/PID/maps, the program headers and function symbols of ELF files, where a library or
 * program named without a path lives, the kernel's traceable functions, the names of signals,
 * errno values, open flags and system calls (the last generated at build time for the target
 * architecture), the time of day and a task's comm.
 *
 * What it reads belongs to traced programs and is untrusted: every size is bounded, a mapping
 * line too long for the iterator is skipped rather than grown into, and nothing waits on a FIFO
 * or a device (files are opened non-blocking and must be regular). No part of bcct is used here,
 * so symbolize/ and core/ both build on it. */
#ifndef BCCT_CORE_SYS_H
#define BCCT_CORE_SYS_H
#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- files ------------------------------------------------------------------------------ */

/* Sizes for sys_read_file: /proc/kallsyms is ~10-20 MB on large configurations, the other
 * procfs/sysfs lists far less. */
#define SYS_READ_SMALL  (1u << 20)
#define SYS_READ_LARGE  (256u << 20)

/* The first `max` bytes of a regular file (procfs reports size 0: read until EOF), in a malloc'd
 * buffer with a NUL after them (the buffer holds len + 1 bytes). NULL, errno set, when the file
 * cannot be opened, is not a regular file, or memory runs out. *len_out may be NULL. */
char *sys_read_file(const char *path, size_t max, size_t *len_out);

/* The online CPUs: online[c] set for each below max; returns one past the highest, or -errno. */
int sys_online_cpus(bool *online, int max);

/* Files named by or on behalf of a traced process (its mapped files, their .gnu_debuglink and
 * build-id debug files, its perf map, its USDT binaries, libraries of ld.so.cache) belong to
 * whoever wrote them: an unprivileged user can put a FIFO, a device node, a directory, a symlink
 * loop or a sparse file of terabytes where root's tracer will look. Bounds on what one may be:
 * the largest ELF files in the wild (debug files of browsers) are 2-3 GiB, and perf maps, read
 * whole into memory, stay far below theirs. */
#define SYS_UNTRUSTED_ELF_MAX     (4ull << 30)
#define SYS_UNTRUSTED_PERFMAP_MAX (256ull << 20)

/* Opens such a file for reading so that it cannot stall or harm the run. path is resolved
 * inside root when root is given ("/proc/PID/root": the target's absolute symlinks and ".." stay
 * inside it, and no magic link of its /proc leads out; openat2 RESOLVE_IN_ROOT, kernel 5.6+,
 * sys_walk_in_root before), else as is. It is first opened O_PATH, which never runs the open of
 * a FIFO or device, and only a regular file of at most max_size bytes is then opened (O_RDONLY |
 * O_NONBLOCK | O_NOCTTY | O_CLOEXEC, through /proc/self/fd: the same inode, no second lookup).
 * Returns the descriptor with *st its fstat; -1 with errno otherwise: the lookup's (ENOENT,
 * ELOOP, ...), EINVAL for what is not a regular file, EFBIG for one too large (*st filled for
 * both). */
struct stat;
int sys_open_untrusted(const char *root, const char *path, uint64_t max_size, struct stat *st);
/* An O_PATH descriptor of path looked up inside the directory root, as above; -1 with errno. */
int sys_lookup_in_root(const char *root, const char *path);
/* The lookup inside the directory root_fd by hand, for kernels without openat2 (and tests:
 * BCCT_DISABLE=openat2 takes it everywhere): one component at a time, O_PATH | O_NOFOLLOW, a
 * symbolic link's target walked in its place (an absolute one from root_fd), ".." never above
 * root_fd, at most 40 links. An O_PATH descriptor, or -1 with errno (ENOENT, ELOOP, ENOTDIR...). */
int sys_walk_in_root(int root_fd, const char *path);

/* The comm of task pid ("" when gone), in buf. */
const char *sys_pid_comm(pid_t pid, char *buf, size_t len);
/* The path of pid's executable (/proc/PID/exe, as the kernel names it) into buf; 0 or -errno. */
int sys_pid_exe(pid_t pid, char *buf, size_t len);

/* The user name of uid from /etc/passwd (no NSS: the binary is static), else
 * "UNKNOWN(uid)" as BCC's cachetop prints it; in buf. */
const char *sys_user_name(unsigned int uid, char *buf, size_t len);
/* A /proc/meminfo field in kB ("Cached", "Buffers"), -1 when absent. */
long long sys_meminfo_kb(const char *field);

/* /proc/loadavg as is, without its newline ("0.12 0.08 0.01 1/123 4567", as BCC's filetop
 * and oomkill print it); "" when unreadable. In buf. */
const char *sys_loadavg(char *buf, size_t len);
/* The local time of day as "HH:MM:SS" (BCC's strftime("%H:%M:%S")), in buf. */
const char *sys_time_of_day(char *buf, size_t len);

/* The systemd journal (native protocol, core/sys/journal.c). sys_journal_open connects once:
 * 0 or -errno (-ENOENT: no journald). sys_journal_send logs one entry from n strings, name and
 * value in turn ("MESSAGE", "...", "PRIORITY", "5"); never blocks: 0 or -errno. */
int sys_journal_open(void);
int sys_journal_send(const char *const *fields, int n);

/* ---- /proc/PID/maps --------------------------------------------------------------------- */

/* One line: "start-end perms offset major:minor inode   path". The kernel escapes a newline in
 * a path as "\012"; other bytes, spaces included, are the path's own. */
struct sys_mapping {
	uint64_t start, end, offset, inode;
	uint32_t major, minor;
	char perms[5];           /* "r-xp" */
	bool exec;               /* perms[2] == 'x' */
	bool deleted;            /* the path ends in " (deleted)": the file was unlinked */
	const char *path;        /* as the kernel prints it ("" anonymous, "[vdso]", "/a b (deleted)") */
	size_t file_len;         /* path's length without " (deleted)" */
};

#define SYS_MAPS_LINE_MAX 16384   /* a path of PATH_MAX bytes, every one escaped, fits */

struct sys_maps {
	int fd;
	size_t len, at;
	bool eof, skipping;
	char buf[SYS_MAPS_LINE_MAX + 1];
};

/* Opens the maps of pid (0: our own). false, errno set, when the process is gone or hidden. */
bool sys_maps_open(struct sys_maps *it, pid_t pid);
/* The same for a maps-format file at path (tests). */
bool sys_maps_open_path(struct sys_maps *it, const char *path);
/* The next mapping; m's strings live until the next call. false at the end. Malformed lines and
 * lines longer than SYS_MAPS_LINE_MAX are skipped. */
bool sys_maps_next(struct sys_maps *it, struct sys_mapping *m);
void sys_maps_close(struct sys_maps *it);
/* pid's mappings as a new array (free() it) of elem-sized elements, *n of them: fill(ctx, m,
 * elem) builds one from a mapping, or returns false to leave it out. NULL when the maps cannot
 * be read or memory runs out. */
typedef bool (*sys_maps_fill_fn)(void *ctx, const struct sys_mapping *m, void *elem);
void *sys_maps_collect(pid_t pid, size_t elem, sys_maps_fill_fn fill, void *ctx, size_t *n);
/* sys_maps_collect into *array (void ** to a typed array), freeing the old one, when the maps
 * could be read and, if *n held some, are not empty (a zombie's); false, array untouched,
 * otherwise. */
bool sys_maps_reload(pid_t pid, size_t elem, sys_maps_fill_fn fill, void *ctx, void *array, size_t *n);
/* The element of a sorted, non-overlapping array of address ranges (each element begins with
 * struct sys_range, elem bytes apart) that holds addr, or NULL. */
struct sys_range {
	uint64_t start, end;
};
const void *sys_range_find(const void *array, size_t n, size_t elem, uint64_t addr);
/* Parses one line (without its newline); m->path points into line. */
bool sys_maps_parse_line(const char *line, struct sys_mapping *m);

/* ---- ELF files -------------------------------------------------------------------------- */

struct sys_elf_segment {
	uint64_t offset, vaddr, filesz, memsz;
	bool exec;               /* PF_X */
};

/* The PT_LOAD segments of elf, in header order: a malloc'd array (*n entries; at least one
 * element is allocated so an empty result is not NULL), or NULL when the headers cannot be read
 * or memory ran out. */
struct sys_elf_segment *sys_elf_load_segments(Elf *elf, size_t *n);
/* The first program header of `type` (e.g. PT_GNU_EH_FRAME). */
bool sys_elf_phdr(Elf *elf, uint32_t type, GElf_Phdr *out);
/* File offset of virtual address vaddr through the PT_LOAD segment holding it. */
bool sys_elf_vaddr_to_offset(Elf *elf, uint64_t vaddr, uint64_t *offset);
/* Virtual address of a file offset through the segment whose file bytes hold it. */
bool sys_segments_offset_to_vaddr(const struct sys_elf_segment *segs, size_t n, uint64_t offset,
				  uint64_t *vaddr);

/* Function symbols of one symbol table (SHT_SYMTAB or SHT_DYNSYM). */
struct sys_elf_symbols {
	Elf *elf;
	Elf_Data *syms, *strs;
	size_t count, next;
	const char *strtab;      /* the table's string table, strtab_len bytes */
	size_t strtab_len;
};

/* A defined function (STT_FUNC or STT_GNU_IFUNC, a section index, a nonzero address) with a
 * non-empty name inside its string table. */
struct sys_elf_function {
	const char *name;
	uint32_t name_offset;    /* in the string table */
	uint64_t value, size;
	uint16_t shndx;
	bool local;              /* STB_LOCAL */
};

/* The next section after `after` (NULL: from the start) that is a symbol table of `type`
 * (SHT_SYMTAB, SHT_DYNSYM, or 0 for either), with its header in *sh. */
Elf_Scn *sys_elf_next_symtab(Elf *elf, Elf_Scn *after, uint32_t type, GElf_Shdr *sh);
/* Starts reading the table in scn; false when it or its string table is empty or unreadable. */
bool sys_elf_symbols_open(struct sys_elf_symbols *it, Elf *elf, Elf_Scn *scn);
bool sys_elf_next_function(struct sys_elf_symbols *it, struct sys_elf_function *f);
/* The file offset of function symbol f (what a uprobe takes), through the section holding its
 * code, as libbpf resolves it; false for a symbol outside executable file bytes. */
bool sys_elf_function_file_offset(Elf *elf, const struct sys_elf_function *f, uint64_t *offset);
/* The file offset of function `name` in the ELF file at path (opened as sys_open_untrusted),
 * as a uprobe takes it: a global definition, else the first local one. 0, or -errno: -ENOENT
 * when there is no such function, -ENOEXEC when the file is not ELF. */
int sys_elf_function_offset(const char *path, const char *name, uint64_t *offset);

/* The bytes of data symbol `name` (STT_OBJECT, defined, in file bytes: an initialised constant
 * such as CPython's Py_Version) in the ELF file at path (opened as sys_open_untrusted): at most
 * len bytes into buf. The number of bytes read, or -errno: -ENOENT when there is no such symbol,
 * -ENOEXEC when the file is not ELF. */
int sys_elf_read_object(const char *path, const char *name, void *buf, size_t len);

/* The data symbol (a global or static variable of the program or a library: STT_OBJECT in
 * .symtab or .dynsym) holding address addr of process pid, as "name" or "name+0x10", in buf;
 * NULL when addr is in no such symbol (heap, stack, a stripped file). For naming locks and
 * other objects by address (deadlock's mutexes). */
const char *sys_pid_object_symbol(pid_t pid, uint64_t addr, char *buf, size_t len);

/* ---- finding programs and libraries ------------------------------------------------------ */

/* A library named as BCC's "-l NAME" and "NAME:func" take it ("c", "libc", "libc.so.6", or a
 * path, taken as is when readable): /etc/ld.so.cache (this architecture's entries), then (with
 * executables_too) an executable NAME in $PATH, then lib<NAME>.so*, <NAME>.so* or <NAME> in the
 * usual library directories. Returns buf or NULL. */
const char *sys_find_library(const char *name, bool executables_too, char *buf, size_t len);
/* The same as process pid sees it (trace -p, funccount -p, tplist -p in a container): the files
 * pid maps first (the inode mapped, through /proc/PID/map_files), then the lookups above inside
 * pid's root directory (its ld.so.cache, its $PATH directories, its library directories), every
 * path resolved inside that root (sys_open_untrusted); an absolute path given is pid's too, a
 * relative one ours. Returns a descriptor of the file found (sys_open_untrusted's: reading and
 * attaching through /proc/self/fd/N reach that inode and never a same-named file of ours), with
 * the path pid knows it by in buf; -1 when none. */
int sys_pid_find_library(pid_t pid, const char *name, bool executables_too, char *buf, size_t len);
/* A library (or with executables_too, a program) to put uprobes on, named as BCC names it: as
 * process pid sees it when pid > 0 and the process exists (sys_pid_find_library), else as we do
 * (sys_find_library; a pid that does not exist yet traces our files, as BCC). With pid, the file
 * is held open in fd and `attach` names that inode (/proc/self/fd/N), so that what is attached
 * is what was found; else fd is -1 and `attach` is the path. `shown` is the path to print.
 * Returns 0, or -ENOENT when there is no such file. */
struct sys_library {
	int fd;
	char attach[32 + 4096];
	char shown[4096];
};
int sys_library_open(struct sys_library *lib, pid_t pid, const char *name, bool executables_too);
void sys_library_close(struct sys_library *lib);
/* A path as pid sees it, given the file's path as we see it (a maps line's): pid's root
 * directory, when we can reach it ("/srv/ctr" for a chroot), taken off the front. In buf, which may be path itself. */
const char *sys_pid_view(pid_t pid, const char *path, char *buf, size_t len);
/* The file of mapping m of pid, opened as sys_open_untrusted: the mapped inode itself
 * (/proc/PID/map_files), else m's path inside pid's root. */
struct sys_mapping;
int sys_open_mapped(pid_t pid, const struct sys_mapping *m, uint64_t max_size, struct stat *st);
const char *sys_find_executable(const char *name, char *buf, size_t len);

/* ---- the kernel's functions ------------------------------------------------------------- */

/* Functions kprobes can attach to: available_filter_functions under tracefs ("name [module]"),
 * else the text symbols of /proc/kallsyms. Read once for the run. */
struct sys_kernel_functions {
	const char *const *names;   /* file order, a name once per line it has */
	size_t count;
	bool from_kallsyms;
};
/* NULL when neither file is readable. tracefs: its mount point, or NULL. */
const struct sys_kernel_functions *sys_kernel_functions(const char *tracefs);
bool sys_kernel_function_exists(const struct sys_kernel_functions *k, const char *name);
/* A syscall's kernel function named with another kernel's prefix (sys_read, SyS_read, ...) as
 * this kernel names it (__x64_sys_read), written to buf; name itself when it exists, is no
 * syscall name or this kernel has no such syscall (BCC's fix_syscall_fnname). */
const char *sys_kernel_syscall_function(const struct sys_kernel_functions *k, const char *name,
					char *buf, size_t size);

/* ---- names ------------------------------------------------------------------------------ */

/* "SIGHUP" for 1 .. "SIGSYS" for 31, "SIGRTMIN" (34), "SIGRTMAX" (64), as Python's signal
 * module names them (BCC); NULL for others. */
const char *sys_signal_name(int sig);
/* The number of "SIGUSR1", "USR1", "usr1" or "sigusr1"; 0 when unknown. */
int sys_signal_number(const char *name);

/* A softirq vector's name as the kernel's softirq_to_name[] has it ("net_rx" for 3); NULL for
 * others. */
const char *sys_softirq_name(unsigned int vec);

/* "ENOENT" for 2; NULL when unknown. */
const char *sys_errno_name(int err);
/* The value of "ENOENT"; 0 when unknown. */
int sys_errno_number(const char *name);

/* The value of an open(2) flag by its name ("O_CREAT", as Python's os module has them). */
bool sys_open_flag(const char *name, int *value);

/* "CAP_CHOWN" for 0 .. "CAP_CHECKPOINT_RESTORE" for 40; NULL for others. */
const char *sys_capability_name(int cap);

/* System call names of the architecture bcct is built for (from its <asm/unistd.h>). */
const char *sys_syscall_name(long nr);   /* NULL when unknown */
long sys_syscall_nr(const char *name);   /* -1 when unknown */
long sys_syscall_count(void);            /* numbers are below this */
#endif

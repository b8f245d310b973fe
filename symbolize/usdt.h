/* USDT probes: the SystemTap SDT notes (.note.stapsdt) of ELF files and of the files a process
 * maps, and their argument specifications. Used to list probes (tplist) and to find what a
 * probe's arguments are (trace, argdist). No BPF, no privileges beyond reading the files. */
#ifndef BCCT_USDT_H
#define BCCT_USDT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One probe location (one note). Strings live only during the callback. */
struct bcct_usdt_probe {
	const char *path;       /* the file: as given, or as the process maps it */
	const char *provider;
	const char *name;
	const char *args;       /* argument spec, e.g. "-4@%edi 8@-16(%rbp)"; "" when none */
	uint64_t pc;            /* probe address (ELF virtual address, prelink-adjusted) */
	uint64_t pc_offset;     /* file offset of pc (for uprobes); 0 if outside every PT_LOAD */
	uint64_t base;          /* .stapsdt.base address recorded in the note, 0 if none */
	uint64_t semaphore;     /* semaphore virtual address (prelink-adjusted), 0 if none */
};

/* Returns 0 to continue, anything else to stop the walk with that value. */
typedef int (*bcct_usdt_fn)(void *ctx, const struct bcct_usdt_probe *p);

/* Every probe note of the ELF file at `path`, in file order. `open_path` is where to read it
 * (e.g. through /proc/PID/root), NULL for path itself. Returns 0, the callback's nonzero value,
 * or a negative errno (-ENOEXEC: not an ELF file). A file without probes is not an error. */
int bcct_usdt_foreach_file(const char *path, const char *open_path, bcct_usdt_fn fn, void *ctx);

/* Every probe of every ELF file mapped executable by pid, each file once, in mapping order;
 * each read from the inode mapped (sys_open_mapped) and named as the process sees it, so
 * processes in other mount namespaces and chroots work. */
int bcct_usdt_foreach_pid(pid_t pid, bcct_usdt_fn fn, void *ctx);

/* One argument of a spec: "[-]SIZE@OPERAND", x86-64's or arm64's operand syntax. */
enum bcct_usdt_arg_kind {
	USDT_ARG_CONST,         /* $imm (arm64: imm): value */
	USDT_ARG_REG,           /* %reg (arm64: x3, w3, sp): the register's value */
	USDT_ARG_REG_DEREF,     /* off(%reg[,%index[,scale]]) (arm64: [reg, off]): memory at
				 * reg + index * scale + off */
	USDT_ARG_SYM_DEREF,     /* sym+off(%rip): memory at &sym + off */
};

struct bcct_usdt_arg {
	enum bcct_usdt_arg_kind kind;
	int size;               /* bytes: 1, 2, 4 or 8 */
	bool is_signed;
	long long val;          /* USDT_ARG_CONST: the constant; *_DEREF: the offset */
	char reg[8];            /* base register, BCC's names: "ax", "di", "bp", "r13", "ip";
				 * arm64: "x0".."x30", "sp" */
	char index_reg[8];      /* "" when none */
	int scale;              /* 1 when no index */
	char ident[64];         /* USDT_ARG_SYM_DEREF: the symbol */
};

/* Parses a spec list into at most max arguments. Returns the number of arguments, or -1 when one
 * is in a form not understood (the caller may still show the raw spec). */
int bcct_usdt_parse_args(const char *spec, struct bcct_usdt_arg *out, int max);
#endif

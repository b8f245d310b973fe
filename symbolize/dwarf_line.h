/* Source lines from DWARF .debug_line (versions 2 to 5, 32- and 64-bit DWARF, either byte
 * order), read into one sorted address -> (file, line) table per ELF file. Compressed debug
 * sections (SHF_COMPRESSED zlib/zstd, and the older GNU .zdebug_*) are decompressed through
 * libelf. File names are full paths built as binutils' addr2line builds them: an absolute name
 * as is, else the include directory, prefixed by the compilation directory when relative.
 *
 * Malformed input yields fewer lines or NULL, never a crash or a hang; memory stays linear in
 * the size of the sections. */
#ifndef BCCT_SYMBOLIZE_DWARF_LINE_H
#define BCCT_SYMBOLIZE_DWARF_LINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Elf; /* libelf's Elf */
struct sym_lines;

/* Reads the line table of an ELF file (or of its separate debug file: the addresses are the
 * same). Returns NULL when the file cannot be read as ELF or has no usable .debug_line. */
struct sym_lines *sym_lines_open(const char *path);
/* The same from an open libelf handle, which the caller keeps and closes; nothing refers to it
 * afterwards. Compressed sections of elf are decompressed in place (libelf's elf_compress). */
struct sym_lines *sym_lines_open_elf(struct Elf *elf);

/* vaddr is a virtual address of the file (as in its symbol table). On success *file is a path
 * living until sym_lines_close and *line the line number (0: the compiler attributed the code
 * to no line). Returns false when no line covers vaddr. */
bool sym_lines_lookup(const struct sym_lines *l, uint64_t vaddr, const char **file, unsigned *line);

/* Number of rows in the table (after merging equal neighbours): for tests and statistics. */
size_t sym_lines_count(const struct sym_lines *l);

void sym_lines_close(struct sym_lines *l);
#endif

/* libFuzzer target: DWARF line tables (symbolize/dwarf_line.c). The input is an ELF image,
 * handed to libelf through elf_memory() as a file would be; .debug_line, .debug_line_str,
 * .debug_str, .debug_info, .debug_abbrev, .debug_str_offsets are read, compressed ones
 * (SHF_COMPRESSED zlib/zstd, .zdebug_*) decompressed first. Then lookups at the addresses the
 * input names (its first 64 bytes read as addresses) and across the low 64 KiB. */
#include "symbolize/dwarf_line.h"
#include <libelf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	elf_version(EV_CURRENT);
	/* libelf may write to the image (elf_compress replaces section data): a private copy. */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	Elf *elf = elf_memory(copy, size);
	if (elf) {
		struct sym_lines *l = sym_lines_open_elf(elf);
		if (l) {
			const char *file;
			unsigned line;
			for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
				uint64_t a;
				memcpy(&a, data + i, 8);
				if (sym_lines_lookup(l, a, &file, &line))
					(void)strlen(file);
			}
			for (uint64_t a = 0; a < 0x10000; a += 61)
				if (sym_lines_lookup(l, a, &file, &line))
					(void)strlen(file);
			(void)sym_lines_count(l);
			sym_lines_close(l);
		}
		elf_end(elf);
	}
	free(copy);
	return 0;
}

/* An ELF section by name, through libelf: shared by symbolize/ and core/btf.c. */
#ifndef BCCT_SYMBOLIZE_ELF_SECTION_H
#define BCCT_SYMBOLIZE_ELF_SECTION_H
#include <gelf.h>

/* The first section called `name` with contents in the file (not SHT_NOBITS), its header in
 * *sh; NULL when there is none. */
Elf_Scn *sym_elf_section(Elf *elf, const char *name, GElf_Shdr *sh);
#endif

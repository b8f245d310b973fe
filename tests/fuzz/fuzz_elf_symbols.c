/* libFuzzer target: ELF symbol tables (symbolize/elf.c) and the parts of debuginfo.c that read
 * the file itself (.gnu_debuglink, build-id notes, MiniDebugInfo's xz-compressed .gnu_debugdata).
 * The input is an ELF image, read through libelf's elf_memory() (sym_elf_open_memory does
 * that). Debug-file candidates are looked for under an empty directory, so nothing outside the
 * input is parsed. */
#include "symbolize/internal.h"
#include "symbolize/symbolize.h"
#include <fcntl.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int null_fd = -1;

static void probe(struct sym_elf *e, const uint8_t *data, size_t size)
{
	struct bcct_sym s;
	for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
		uint64_t a, v;
		memcpy(&a, data + i, 8);
		if (sym_elf_lookup(e, a, &s) && s.name)
			(void)strlen(s.name);
		(void)sym_elf_offset_to_vaddr(e, a, &v);
	}
	for (uint64_t a = 0; a < 0x20000; a += 97)
		if (sym_elf_lookup(e, a, &s) && s.name)
			(void)strlen(s.name);
	(void)sym_elf_sources(e);
	(void)sym_elf_debug_file(e);
}

static char debug_root[] = "/tmp/bcct-fuzz-debugroot.XXXXXX";

static void remove_debug_root(void)
{
	rmdir(debug_root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (null_fd < 0) {
		bool made = mkdtemp(debug_root) != NULL;
		sym_set_debug_root(made ? debug_root : "/nonexistent");
		if (made)
			atexit(remove_debug_root);
		null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	struct sym_elf *e = sym_elf_open_memory(data, size, "fuzz");
	if (e) {
		probe(e, data, size);
		sym_elf_close(e);
	}

	elf_version(EV_CURRENT);
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	Elf *elf = elf_memory(copy, size);
	if (elf && elf_kind(elf) == ELF_K_ELF) {
		size_t len;
		char *image = sym_minidebuginfo(elf, &len);
		if (image) {
			struct sym_elf *mini = sym_elf_open_memory(image, len, "fuzz-mini");
			if (mini) {
				probe(mini, data, size);
				sym_elf_close(mini);
			}
			free(image);
		}
		struct sym_debug_file dbg;
		if (sym_debug_file_find(elf, null_fd, "/nonexistent/dir/fuzz.so", "", &dbg))
			sym_debug_file_close(&dbg);
	}
	if (elf)
		elf_end(elf);
	free(copy);
	return 0;
}

/* libFuzzer target: the /proc/kallsyms parser (symbolize/kallsyms.c). kallsyms.c reads the
 * fixed path /proc/kallsyms once per process (pthread_once), and exposes no buffer-level
 * parser, so this harness compiles kallsyms.c into itself with sym_read_file redirected to the
 * fuzz input and pthread_once to a plain call, and resets the table between inputs. It depends
 * on kallsyms.c's internals (the static `ktab`); a `kallsyms_parse_buffer()` in kallsyms.c
 * would remove that (see tests/fuzz/README.md). */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int fuzz_loaded; /* stands for ktab_once, reset for each input */
#define sym_read_file fuzz_read_kallsyms
#define pthread_once(once, init) (fuzz_loaded ? 0 : (fuzz_loaded = 1, (init)(), 0))
#include "symbolize/kallsyms.c"
#undef pthread_once
#undef sym_read_file

static const uint8_t *input;
static size_t input_len;

/* What sym_read_file returns: a malloc'd, NUL-terminated copy. */
char *fuzz_read_kallsyms(const char *path, size_t *len_out)
{
	(void)path;
	char *buf = malloc(input_len + 1);
	if (!buf)
		return NULL;
	memcpy(buf, input, input_len);
	buf[input_len] = '\0';
	if (len_out)
		*len_out = input_len;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input = data;
	input_len = size;
	free(ktab.syms);
	free(ktab.arena);
	memset(&ktab, 0, sizeof(ktab));
	fuzz_loaded = 0;

	struct bcct_sym s;
	for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
		uint64_t a;
		memcpy(&a, data + i, 8);
		if (sym_kernel(a, &s) && s.name)
			(void)strlen(s.name);
	}
	static const uint64_t fixed[] = {0, 1, 0xffffffff81000000, 0xffffffffc0000000, UINT64_MAX};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (sym_kernel(fixed[i], &s) && s.name && s.module)
			(void)(strlen(s.name) + strlen(s.module));
	/* Name lookups: a name from the input, and names that are never there. */
	char name[32];
	size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
	memcpy(name, data, n);
	name[n] = '\0';
	(void)sym_kernel_addr(name);
	(void)sym_kernel_addr("");
	(void)sym_kernel_addr("schedule");
	return 0;
}
